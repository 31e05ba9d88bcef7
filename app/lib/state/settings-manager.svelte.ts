/** User settings, persisted in localStorage (small, synchronous, per device). */

/** How the record button behaves. */
export type RecordMode = 'toggle' | 'push-to-talk';

interface Settings {
  recordMode: RecordMode;
  /** Whisper language name. */
  language: string;
  /** Speech model id (Transformers.js layout under /models/). */
  asrModelId: string;
  /** Access token for the worker, when the owner configured one. */
  accessToken: string;
}

const KEY = 'lva.settings.v1';
const DEFAULTS: Settings = {
  recordMode: 'toggle',
  language: 'english',
  asrModelId: 'Xenova/whisper-tiny',
  accessToken: ''
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

/** The app's settings. */
export const settingsManager = new SettingsManager();
