/**
 * Voice-activity segmentation: turns Silero's per-frame speech probabilities into utterance
 * segments. Pure and sample-indexed, so live recording, file import, the evaluation scripts and
 * the unit tests (replayed probability traces) all run exactly the same decisions.
 *
 * Hysteresis: a frame at or above `onThreshold` is speech; speech ends only after `redemptionMs`
 * of frames below `offThreshold`. Segments carry pre-roll so first syllables are kept, and a
 * little post-roll so the last consonant is not clipped. Speech shorter than `minSpeechMs` is a
 * misfire (a cough, a click) and is never sent to Whisper.
 */

/** Samples per Silero v5 frame at 16 kHz (32 ms). */
export const VAD_FRAME = 512;
/** Sample rate every segment index refers to. */
export const VAD_RATE = 16_000;

/** Tuning of the segmenter, in milliseconds and probabilities. */
export interface SegmenterOptions {
  onThreshold: number;
  offThreshold: number;
  /** Silence that ends an utterance. */
  redemptionMs: number;
  /** Shorter speech is dropped as a misfire. */
  minSpeechMs: number;
  /** Audio kept before the first speech frame. */
  preRollMs: number;
  /** Audio kept after the last speech frame. */
  postRollMs: number;
  /** Longest segment; longer speech is cut at its quietest frame near this length. */
  maxSegmentMs: number;
}

/** Defaults, checked on the eval clips (npm run eval:asr) and through a browser microphone. */
export const DEFAULT_SEGMENTER: SegmenterOptions = {
  // Silero v5 thresholds as @ricky0123/vad-web uses them: 0.5 misses quiet words (the JFK clip's
  // "ask not" through a browser microphone scores 0.3–0.45).
  onThreshold: 0.3,
  offThreshold: 0.25,
  redemptionMs: 600,
  minSpeechMs: 250,
  preRollMs: 400,
  postRollMs: 300,
  maxSegmentMs: 26_000
};

/** A finished utterance: sample range [start, end) including padding. */
export interface SpeechSegment {
  /** First sample, pre-roll included. */
  start: number;
  /** One past the last sample, post-roll included. */
  end: number;
  /** First and one-past-last sample of frames judged speech. */
  speechStart: number;
  speechEnd: number;
  /** Fraction of frames inside [speechStart, speechEnd) at or above the on threshold. */
  speechRatio: number;
  /** Cut because it reached the maximum length, not because the speaker paused. */
  forced: boolean;
}

/** What one frame changed. */
export type SegmenterEvent =
  | { type: 'speech-start'; start: number; speechStart: number }
  | { type: 'pause'; at: number }
  | { type: 'resume' }
  | { type: 'speech-end'; segment: SpeechSegment }
  | { type: 'misfire'; start: number; end: number };

const ms = (value: number) => Math.round((value * VAD_RATE) / 1000 / VAD_FRAME);

/** Feeds on one probability per {@link VAD_FRAME} samples; emits segment events. */
export class SpeechSegmenter {
  readonly options: SegmenterOptions;
  private frame = 0;
  private inSpeech = false;
  private speechStartFrame = 0;
  private lastSpeechFrame = 0;
  private silentFrames = 0;
  private speechFrames = 0;
  private paused = false;
  /** Probabilities of the open segment, to find the quietest frame for a forced cut. */
  private probs: number[] = [];
  /** Where the open segment's audio starts (pre-roll, or the previous forced cut). */
  private segmentStart = 0;

  constructor(options: Partial<SegmenterOptions> = {}) {
    this.options = { ...DEFAULT_SEGMENTER, ...options };
  }

  /** Frames seen so far. */
  get frames(): number {
    return this.frame;
  }

  /** Samples of post-roll added after the last speech frame (whole frames). */
  get postRollSamples(): number {
    return ms(this.options.postRollMs) * VAD_FRAME;
  }

  /** Whether an utterance is open. */
  get speaking(): boolean {
    return this.inSpeech;
  }

  /** Start sample of the open utterance (null when none). */
  get openStart(): number | null {
    return this.inSpeech ? this.segmentStart : null;
  }

  /** Processes the probability of the next frame. */
  push(probability: number): SegmenterEvent[] {
    const o = this.options;
    const index = this.frame++;
    const events: SegmenterEvent[] = [];
    if (!this.inSpeech) {
      if (probability >= o.onThreshold) {
        this.inSpeech = true;
        this.speechStartFrame = index;
        this.lastSpeechFrame = index;
        this.silentFrames = 0;
        this.speechFrames = 1;
        this.paused = false;
        this.probs = [probability];
        this.segmentStart = Math.max(0, (index - ms(o.preRollMs)) * VAD_FRAME);
        events.push({
          type: 'speech-start',
          start: this.segmentStart,
          speechStart: index * VAD_FRAME
        });
      }
      return events;
    }
    this.probs.push(probability);
    if (probability >= o.onThreshold) this.speechFrames++;
    if (probability < o.offThreshold) {
      this.silentFrames++;
      if (!this.paused) {
        this.paused = true;
        events.push({ type: 'pause', at: (this.lastSpeechFrame + 1) * VAD_FRAME });
      }
      if (this.silentFrames >= ms(o.redemptionMs)) events.push(...this.close(false));
    } else {
      if (probability >= o.onThreshold || !this.paused) {
        this.lastSpeechFrame = index;
        this.silentFrames = 0;
        if (this.paused) {
          this.paused = false;
          events.push({ type: 'resume' });
        }
      }
    }
    if (this.inSpeech && (index + 1) * VAD_FRAME - this.segmentStart >= o.maxSegmentMs * 16) {
      events.push(...this.forceCut());
    }
    return events;
  }

  /** Ends the open utterance at the end of the input (recording stopped, file ended). */
  flush(): SegmenterEvent[] {
    if (!this.inSpeech) return [];
    return this.close(false, true);
  }

  private close(forced: boolean, atEnd = false): SegmenterEvent[] {
    const o = this.options;
    this.inSpeech = false;
    const speechStart = this.speechStartFrame * VAD_FRAME;
    const speechEnd = (this.lastSpeechFrame + 1) * VAD_FRAME;
    const speechSpan = this.lastSpeechFrame - this.speechStartFrame + 1;
    if (this.speechFrames < ms(o.minSpeechMs)) {
      return [{ type: 'misfire', start: this.segmentStart, end: speechEnd }];
    }
    const limit = this.frame * VAD_FRAME;
    const end = atEnd ? limit : Math.min(limit, speechEnd + this.postRollSamples);
    return [
      {
        type: 'speech-end',
        segment: {
          start: this.segmentStart,
          end,
          speechStart,
          speechEnd,
          speechRatio: Math.min(1, this.speechFrames / Math.max(1, speechSpan)),
          forced
        }
      }
    ];
  }

  /**
   * Cuts a segment that reached the maximum length at its quietest frame in the last quarter, so
   * the cut falls between words; the next segment starts right there, still in speech.
   */
  private forceCut(): SegmenterEvent[] {
    const windowFrames = this.probs.length;
    const from = Math.floor(windowFrames * 0.75);
    let best = windowFrames - 1;
    for (let i = from; i < windowFrames; i++) if (this.probs[i]! < this.probs[best]!) best = i;
    const firstFrame = this.frame - windowFrames;
    const cutFrame = firstFrame + best + 1;
    const cut = cutFrame * VAD_FRAME;
    const start = this.segmentStart;
    const speechStart = Math.max(start, this.speechStartFrame * VAD_FRAME);
    const speechFrames = this.probs
      .slice(0, best + 1)
      .filter((p) => p >= this.options.onThreshold).length;
    const segment: SpeechSegment = {
      start,
      end: cut,
      speechStart,
      speechEnd: cut,
      speechRatio: Math.min(1, speechFrames / Math.max(1, best + 1)),
      forced: true
    };
    const rest = this.probs.slice(best + 1);
    this.probs = rest;
    this.segmentStart = cut;
    this.speechStartFrame = cutFrame;
    this.speechFrames = rest.filter((p) => p >= this.options.onThreshold).length;
    if (this.lastSpeechFrame < cutFrame) this.lastSpeechFrame = cutFrame;
    return [
      { type: 'speech-end', segment },
      { type: 'speech-start', start: cut, speechStart: cut }
    ];
  }
}

/** Runs a whole probability trace through a segmenter: the offline (file, eval) path. */
export function segmentTrace(
  probabilities: ArrayLike<number>,
  options: Partial<SegmenterOptions> = {}
): SpeechSegment[] {
  const segmenter = new SpeechSegmenter(options);
  const segments: SpeechSegment[] = [];
  const take = (events: SegmenterEvent[]) => {
    for (const e of events) if (e.type === 'speech-end') segments.push(e.segment);
  };
  for (let i = 0; i < probabilities.length; i++) take(segmenter.push(probabilities[i]!));
  take(segmenter.flush());
  return segments;
}
