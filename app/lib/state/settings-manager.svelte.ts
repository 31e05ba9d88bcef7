/** User settings, persisted in localStorage (small, synchronous, per device). */
import { DEFAULT_STRATEGY, type PromptStrategy } from '../agent/prompts/strategy';

/** How the record button behaves; hands-free lets the voice detector start and end each capture. */
export type RecordMode = 'toggle' | 'push-to-talk' | 'hands-free';

/** Where speech is transcribed: on this device when it can, always here, or on the server. */
export type TranscriptionEngine = 'auto' | 'local' | 'server';

interface Settings {
  recordMode: RecordMode;
  /** Whisper language name. */
  language: string;
  /** Speech model id (Transformers.js layout under /models/). */
  asrModelId: string;
  /** Access token for the worker, when the owner configured one. */
  accessToken: string;
  /** Words and phrases Whisper should expect (names, jargon), one per line or comma-separated. */
  vocabulary: string;
  /** Where transcription runs. */
  engine: TranscriptionEngine;
  /** The partner's prompt strategy (recorded with every reply). */
  strategy: PromptStrategy;
  /** Speak the partner's replies aloud (Web Speech synthesis). */
  voiceReplies: boolean;
  /** The speech synthesis voice's name ('' for the browser's default). */
  voiceName: string;
  /** Speaking rate, 0.5–2. */
  voiceRate: number;
}

const KEY = 'lva.settings.v1';
const DEFAULTS: Settings = {
  recordMode: 'toggle',
  language: 'english',
  asrModelId: 'Xenova/whisper-tiny',
  accessToken: '',
  vocabulary: '',
  engine: 'auto',
  strategy: DEFAULT_STRATEGY,
  voiceReplies: false,
  voiceName: '',
  voiceRate: 1
};

class SettingsManager {
  #settings = $state<Settings>({ ...DEFAULTS });

  constructor() {
    if (typeof localStorage === 'undefined') return;
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
      this.#settings = { ...DEFAULTS, ...stored };
    } catch {
      // A corrupt entry falls back to defaults rather than breaking the app.
    }
  }

  get recordMode(): RecordMode {
    return this.#settings.recordMode;
  }
  get language(): string {
    return this.#settings.language;
  }
  get asrModelId(): string {
    return this.#settings.asrModelId;
  }
  get accessToken(): string {
    return this.#settings.accessToken;
  }
  get vocabulary(): string {
    return this.#settings.vocabulary;
  }
  get engine(): TranscriptionEngine {
    return this.#settings.engine;
  }
  get strategy(): PromptStrategy {
    return { ...DEFAULT_STRATEGY, ...this.#settings.strategy };
  }
  get voiceReplies(): boolean {
    return this.#settings.voiceReplies;
  }
  get voiceName(): string {
    return this.#settings.voiceName;
  }
  get voiceRate(): number {
    return this.#settings.voiceRate;
  }
  /** The vocabulary as Whisper's prompt: terms joined with commas ('' when none). */
  get prompt(): string {
    return vocabularyPrompt(this.#settings.vocabulary);
  }

  /** Changes some settings and persists them. */
  update(patch: Partial<Settings>): void {
    this.#settings = { ...this.#settings, ...patch };
    try {
      localStorage.setItem(KEY, JSON.stringify(this.#settings));
    } catch {
      // Storage full or blocked: the setting still applies for this session.
    }
  }
}

/** Turns a vocabulary list (lines or commas) into a prompt such as "Krebs cycle, ATP, NADH." */
export function vocabularyPrompt(vocabulary: string): string {
  const terms = vocabulary
    .split(/[\n,;]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const unique = terms.filter((t, i) => terms.indexOf(t) === i);
  return unique.length ? `${unique.join(', ')}.` : '';
}

/** The app's settings. */
export const settingsManager = new SettingsManager();
