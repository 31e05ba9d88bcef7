/**
 * Speaks the partner's replies sentence by sentence with Web Speech synthesis while they stream,
 * and stops them when the person barges in (barge-in.ts decides from voice-detector frames).
 */
import { BargeInDetector, type BargeInAction } from '../agent/barge-in';
import { SentenceSplitter } from '../agent/speech-splitter';
import { settingsManager } from './settings-manager.svelte';

/** One spoken reply: feed its visible text as it grows, then end it. */
export interface SpokenReply {
  /** The visible reply so far (it only ever grows). */
  update(visible: string): void;
  /** The reply is complete: speak what is left. */
  end(): void;
}

class SpeechManager {
  #speaking = $state(false);
  #voices = $state.raw<SpeechSynthesisVoice[]>([]);
  #splitter = new SentenceSplitter();
  #spokenChars = 0;
  #pending = 0;
  #onFirstAudio: (() => void) | null = null;
  #bargeIn = new BargeInDetector();

  constructor() {
    if (!this.supported) return;
    const load = () => (this.#voices = speechSynthesis.getVoices());
    load();
    speechSynthesis.addEventListener?.('voiceschanged', load);
  }

  /** Whether this browser can speak. */
  get supported(): boolean {
    return typeof globalThis.speechSynthesis !== 'undefined';
  }

  /** Whether a reply is being spoken (or waits to be). */
  get speaking(): boolean {
    return this.#speaking;
  }

  /** The browser's voices. */
  get voices(): SpeechSynthesisVoice[] {
    return this.#voices;
  }

  /**
   * Starts speaking a new reply (stopping any other); `onFirstAudio` is called when its first
   * sentence starts to sound. Returns a no-op reply when voice replies are off.
   */
  begin(onFirstAudio?: () => void): SpokenReply {
    if (!this.supported || !settingsManager.voiceReplies) return { update() {}, end() {} };
    this.cancel();
    this.#bargeIn.reset();
    this.#onFirstAudio = onFirstAudio ?? null;
    const splitter = (this.#splitter = new SentenceSplitter());
    this.#spokenChars = 0;
    return {
      update: (visible) => {
        if (splitter !== this.#splitter) return;
        const delta = visible.slice(this.#spokenChars);
        this.#spokenChars = visible.length;
        for (const sentence of splitter.push(delta)) this.#say(sentence);
      },
      end: () => {
        if (splitter !== this.#splitter) return;
        const rest = splitter.flush();
        if (rest) this.#say(rest);
      }
    };
  }

  /** Stops speech output at once and drops what was waiting. */
  cancel(): void {
    this.#splitter = new SentenceSplitter();
    this.#pending = 0;
    this.#speaking = false;
    if (this.supported) speechSynthesis.cancel();
  }

  /**
   * A voice-detector frame heard while replies may be sounding: the person starting to talk
   * pauses speech at once; speech past ~600 ms cancels it; a short backchannel resumes it.
   */
  heard(probability: number, durationMs: number): BargeInAction {
    if (!this.#speaking) return 'none';
    const action = this.#bargeIn.frame(probability, durationMs);
    if (action === 'pause') speechSynthesis.pause();
    else if (action === 'resume') speechSynthesis.resume();
    else if (action === 'cancel') this.cancel();
    return action;
  }

  #say(text: string): void {
    const utterance = new SpeechSynthesisUtterance(text);
    const voice = this.#voices.find((v) => v.name === settingsManager.voiceName);
    if (voice) utterance.voice = voice;
    utterance.rate = settingsManager.voiceRate;
    utterance.onstart = () => {
      this.#onFirstAudio?.();
      this.#onFirstAudio = null;
    };
    const done = () => {
      this.#pending = Math.max(0, this.#pending - 1);
      if (this.#pending === 0) this.#speaking = false;
    };
    utterance.onend = done;
    utterance.onerror = done;
    this.#pending++;
    this.#speaking = true;
    speechSynthesis.speak(utterance);
  }
}

/** The app's voice output. */
export const speechManager = new SpeechManager();
