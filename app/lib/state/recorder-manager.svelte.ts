import { MicRecorder } from '../audio/mic-recorder';
import { MicError, toMicError } from '../audio/mic-errors';

/** Recording state. */
export type RecorderStatus = 'idle' | 'starting' | 'recording' | 'stopping';

/** A finished recording: 16 kHz mono samples, and why it ended early if it did. */
export interface Recording {
  samples: Float32Array;
  interruption: MicError | null;
}

/** Owns the microphone: start/stop, the level meter, elapsed time and errors in words. */
class RecorderManager {
  #status = $state<RecorderStatus>('idle');
  #level = $state(0);
  #elapsedMs = $state(0);
  #error = $state<MicError | null>(null);
  #recorder: MicRecorder | null = null;
  #startedAt = 0;
  #interruption: MicError | null = null;
  #onInterrupted: ((recording: Recording) => void) | null = null;

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

  /**
   * Starts recording. `onInterrupted` receives what was recorded when the device goes away
   * mid-recording, so nothing is lost.
   */
  async start(onInterrupted?: (recording: Recording) => void): Promise<boolean> {
    if (this.#status !== 'idle') return false;
    this.#status = 'starting';
    this.#error = null;
    this.#interruption = null;
    this.#onInterrupted = onInterrupted ?? null;
    try {
      this.#recorder = await MicRecorder.start({
        onLevel: (level) => {
          this.#level = level;
          this.#elapsedMs = performance.now() - this.#startedAt;
        },
        onInterrupted: (error) => {
          this.#interruption = error;
          this.#error = error;
          void this.stop().then((recording) => recording && this.#onInterrupted?.(recording));
        }
      });
      this.#startedAt = performance.now();
      this.#elapsedMs = 0;
      this.#status = 'recording';
      return true;
    } catch (err) {
      this.#error = toMicError(err);
      this.#status = 'idle';
      return false;
    }
  }

  /** Stops recording and returns the audio (null when nothing was recording). */
  async stop(): Promise<Recording | null> {
    const recorder = this.#recorder;
    if (!recorder || this.#status !== 'recording') return null;
    this.#status = 'stopping';
    this.#recorder = null;
    try {
      const samples = await recorder.stop();
      return { samples, interruption: this.#interruption };
    } finally {
      this.#level = 0;
      this.#status = 'idle';
    }
  }

  /** Clears the shown error. */
  dismissError(): void {
    this.#error = null;
  }
}

/** The app's microphone. */
export const recorderManager = new RecorderManager();
