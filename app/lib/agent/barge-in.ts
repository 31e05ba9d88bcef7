/**
 * Barge-in: while the partner speaks, the person starting to talk pauses speech output at once;
 * once they have spoken for `cancelAfterMs` the reply is cancelled. A shorter sound (a backchannel
 * "mm-hm", a cough) resumes the reply where it paused. Pure: driven by voice-detector frames with
 * their duration, so it is tested with replayed traces rather than the clock.
 */

/** What the speaker should do after a frame. */
export type BargeInAction = 'none' | 'pause' | 'resume' | 'cancel';

/** Tuning. */
export interface BargeInOptions {
  /** Probability at or above which a frame is speech. */
  threshold: number;
  /** Speech longer than this cancels the reply (shorter is a backchannel). */
  cancelAfterMs: number;
  /** Silence after which a paused backchannel is over and the reply resumes. */
  resumeAfterMs: number;
}

/** About 600 ms of speech cancels; 250 ms of quiet resumes. */
export const DEFAULT_BARGE_IN: BargeInOptions = {
  threshold: 0.5,
  cancelAfterMs: 600,
  resumeAfterMs: 250
};

/** Follows the person's voice while the partner speaks. */
export class BargeInDetector {
  #speechMs = 0;
  #silenceMs = 0;
  #paused = false;
  #cancelled = false;

  constructor(private readonly options: BargeInOptions = DEFAULT_BARGE_IN) {}

  /** Whether the reply was cancelled (until {@link reset}). */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** A new reply starts speaking. */
  reset(): void {
    this.#speechMs = 0;
    this.#silenceMs = 0;
    this.#paused = false;
    this.#cancelled = false;
  }

  /** One voice-detector frame: its speech probability and length. */
  frame(probability: number, durationMs: number): BargeInAction {
    if (this.#cancelled) return 'none';
    if (probability >= this.options.threshold) {
      this.#speechMs += durationMs;
      this.#silenceMs = 0;
      if (this.#speechMs >= this.options.cancelAfterMs) {
        this.#cancelled = true;
        return 'cancel';
      }
      if (!this.#paused) {
        this.#paused = true;
        return 'pause';
      }
      return 'none';
    }
    if (!this.#paused) {
      this.#speechMs = 0;
      return 'none';
    }
    this.#silenceMs += durationMs;
    if (this.#silenceMs >= this.options.resumeAfterMs) {
      this.#paused = false;
      this.#speechMs = 0;
      this.#silenceMs = 0;
      return 'resume';
    }
    return 'none';
  }
}
