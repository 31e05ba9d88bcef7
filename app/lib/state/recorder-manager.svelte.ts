import { LiveTranscriber, type LiveEngine, type LiveFinal } from '../asr/live-transcriber';
import type { Transcript } from '../asr/types';
import { MicRecorder } from '../audio/mic-recorder';
import { MicError, toMicError } from '../audio/mic-errors';
import { appendChunk, openRecording } from '../audio/recording-store';
import { getDb } from '../db/database';
import type { RecordingId } from '../db/ids';
import { vadClient } from '../vad/vad-client';
import type { RecordMode } from './settings-manager.svelte';
import { settingsManager } from './settings-manager.svelte';
import { transcriberManager } from './transcriber-manager.svelte';

/** Recording state. */
export type RecorderStatus = 'idle' | 'starting' | 'recording' | 'stopping';

/** A finished recording: its stored id, 16 kHz mono samples, and why it ended early if it did. */
export interface Recording {
  recordingId: RecordingId | null;
  samples: Float32Array;
  interruption: MicError | null;
  /** The live transcript (null when it could not run live: transcribe the audio instead). */
  transcript: Promise<Transcript | null>;
  /** Whether the voice detector cut this recording into utterances (hands-free needs it). */
  segmented: boolean;
}

/** One hands-free utterance, cut by the voice detector. */
export interface Utterance {
  recordingId: RecordingId | null;
  samples: Float32Array;
  final: LiveFinal;
  /** Whether `final.text` is the transcript (false: it still has to be transcribed). */
  transcribed: boolean;
  /** Samples heard when it was delivered: how far the microphone had got past its end. */
  heardSamples: number;
}

/** Start options: what to do when the device goes away, and with hands-free utterances. */
export interface StartOptions {
  mode: RecordMode;
  onInterrupted?: (recording: Recording) => void;
  onUtterance?: (utterance: Utterance) => void;
  /** Every voice-detector frame's speech probability (32 ms each), e.g. for barge-in. */
  onProbabilities?: (probabilities: ArrayLike<number>) => void;
}

/** Chunks (of 100 ms) written per IndexedDB write: at most this much is lost by a crash. */
const CHUNKS_PER_WRITE = 5;
/** An engine that hears nothing: segmentation without text (the text comes later). */
const SILENT: LiveEngine = {
  decode: () => Promise.resolve({ text: '', segments: [], language: '', modelId: '' })
};

/**
 * Owns the microphone: start/stop, the level meter, elapsed time, errors in words; streams the
 * audio to the voice detector and the live transcriber, and writes it to IndexedDB as it comes.
 */
class RecorderManager {
  #status = $state<RecorderStatus>('idle');
  #finishing = $state(0);
  #level = $state(0);
  #elapsedMs = $state(0);
  #error = $state<MicError | null>(null);
  #notice = $state<string | null>(null);
  #partial = $state<string | null>(null);
  #finals = $state.raw<readonly LiveFinal[]>([]);
  #mode = $state<RecordMode>('toggle');
  #recorder: MicRecorder | null = null;
  #live: LiveTranscriber | null = null;
  #liveText = false;
  #recordingId = $state<RecordingId | null>(null);
  #startedAt = 0;
  #interruption: MicError | null = null;
  #options: StartOptions | null = null;
  #pending: Float32Array[] = [];
  #seq = 0;
  #writes: Promise<void> = Promise.resolve();
  #vad: Promise<void> = Promise.resolve();
  #delivered = 0;

  /**
   * Whether a stopped recording is still being saved (hands-free: its last utterance is still being
   * transcribed). A reload now would leave it to the recovery prompt.
   */
  get finishing(): boolean {
    return this.#finishing > 0;
  }

  /** Marks `work` (saving a stopped recording) as in progress until it settles. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.#finishing += 1;
    try {
      return await work;
    } finally {
      this.#finishing -= 1;
    }
  }

  get status(): RecorderStatus {
    return this.#status;
  }
  /** Current input level 0..1. */
  get level(): number {
    return this.#level;
  }
  get elapsedMs(): number {
    return this.#elapsedMs;
  }
  /** The last microphone error, shown until the next attempt. */
  get error(): MicError | null {
    return this.#error;
  }
  /** A non-fatal note about this recording (e.g. live text unavailable). */
  get notice(): string | null {
    return this.#notice;
  }
  /** Partial text of the utterance being spoken. */
  get partial(): string | null {
    return this.#partial;
  }
  /** Finished utterances of the current recording. */
  get finals(): readonly LiveFinal[] {
    return this.#finals;
  }
  get mode(): RecordMode {
    return this.#mode;
  }
  /** The recording being written (so recovery never offers it). */
  get recordingId(): RecordingId | null {
    return this.#recordingId;
  }

  /** Starts recording; false (with {@link error} set) when the microphone cannot be used. */
  async start(options: StartOptions): Promise<boolean> {
    if (this.#status !== 'idle') return false;
    this.#status = 'starting';
    this.#error = null;
    this.#notice = null;
    this.#interruption = null;
    this.#options = options;
    this.#mode = options.mode;
    this.#partial = null;
    this.#finals = [];
    this.#delivered = 0;
    this.#pending = [];
    this.#seq = 0;
    try {
      this.#recorder = await MicRecorder.start({
        onChunk: (samples) => this.#onChunk(samples),
        onLevel: (level) => {
          this.#level = level;
          this.#elapsedMs = performance.now() - this.#startedAt;
        },
        onInterrupted: (error) => {
          this.#interruption = error;
          this.#error = error;
          void this.stop().then(
            (recording) => recording && this.#options?.onInterrupted?.(recording)
          );
        }
      });
    } catch (err) {
      this.#error = toMicError(err);
      this.#status = 'idle';
      return false;
    }
    this.#startedAt = performance.now();
    this.#elapsedMs = 0;
    this.#status = 'recording';
    this.#recordingId = null;
    // Storage and live text start alongside the microphone; audio that arrives first is kept.
    void openRecording(getDb(), 16_000)
      .then((r) => {
        this.#recordingId = r.id;
        this.#flush();
      })
      .catch(
        () =>
          (this.#notice =
            'This recording cannot be saved while it happens (storage is unavailable).')
      );
    await this.#startLive();
    return true;
  }

  /** Stops recording and returns the audio (null when nothing was recording). */
  async stop(): Promise<Recording | null> {
    const recorder = this.#recorder;
    if (!recorder || this.#status !== 'recording') return null;
    this.#status = 'stopping';
    this.#recorder = null;
    try {
      const samples = await recorder.stop();
      await this.#vad;
      this.#flush(true);
      await this.#writes;
      const live = this.#live;
      this.#live = null;
      const transcript =
        live && this.#liveText
          ? live.finish().then(() =>
              // A failed decode leaves a gap: then the whole recording is transcribed instead.
              live.failed
                ? null
                : live.transcript(settingsManager.language, transcriberManager.modelId ?? '')
            )
          : (live?.finish().then(() => null) ?? Promise.resolve(null));
      return {
        recordingId: this.#recordingId,
        samples,
        interruption: this.#interruption,
        transcript,
        segmented: live !== null
      };
    } finally {
      this.#level = 0;
      this.#status = 'idle';
    }
  }

  /** Clears the shown error. */
  dismissError(): void {
    this.#error = null;
  }

  async #startLive(): Promise<void> {
    const engine = transcriberManager.liveEngine();
    const handsFree = this.#mode === 'hands-free';
    this.#liveText = engine !== null;
    if (!engine && !handsFree) {
      this.#live = null;
      return;
    }
    try {
      await vadClient.load();
      await vadClient.reset();
    } catch {
      this.#live = null;
      this.#notice = handsFree
        ? 'The voice detector could not start, so hands-free cannot tell when you speak. The recording continues; tap stop when done.'
        : null;
      return;
    }
    this.#live = new LiveTranscriber(
      engine ?? SILENT,
      {
        onPartial: (text) => (this.#partial = text),
        onFinals: (finals) => this.#onFinals(finals)
      },
      {
        // Hands-free: every utterance is its own capture, so utterances are never merged.
        ...(handsFree ? { mergeMs: 0 } : {}),
        ...(engine ? {} : { partialEveryMs: 0, speculative: false })
      }
    );
    // Audio captured while the detector loaded is replayed into it, in order.
    const recorded = this.#recorder?.recorded;
    if (recorded?.length) this.#feed(recorded);
  }

  #onChunk(samples: Float32Array): void {
    this.#pending.push(samples);
    if (this.#pending.length >= CHUNKS_PER_WRITE) this.#flush();
    if (this.#live) this.#feed(samples);
  }

  #feed(samples: Float32Array): void {
    const live = this.#live;
    if (!live) return;
    live.pushAudio(samples);
    this.#vad = this.#vad
      .then(() => vadClient.audio(samples))
      .then((probabilities) => {
        live.pushProbabilities(probabilities);
        this.#options?.onProbabilities?.(probabilities);
      })
      .catch(() => undefined);
  }

  #flush(force = false): void {
    const id = this.#recordingId;
    if (!id || this.#pending.length === 0 || (!force && this.#pending.length < CHUNKS_PER_WRITE))
      return;
    const chunk = concat(this.#pending.splice(0));
    const seq = this.#seq++;
    this.#writes = this.#writes
      .then(() => appendChunk(getDb(), id, seq, chunk))
      .catch(() => {
        this.#notice = 'Some audio could not be written to storage; it is still in memory.';
      });
  }

  #onFinals(finals: readonly LiveFinal[]): void {
    this.#finals = finals;
    if (this.#mode !== 'hands-free' || !this.#options?.onUtterance) return;
    const live = this.#live;
    while (this.#delivered < finals.length) {
      const final = finals[this.#delivered++]!;
      const samples = live?.audio.slice(final.speech.start, final.speech.end) ?? new Float32Array();
      if (this.#liveText && final.text === '') continue;
      this.#options.onUtterance({
        recordingId: this.#recordingId,
        samples,
        final,
        transcribed: this.#liveText,
        heardSamples: live?.audio.length ?? final.speech.end
      });
    }
  }
}

function concat(chunks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The app's microphone. */
export const recorderManager = new RecorderManager();
