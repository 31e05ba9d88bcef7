/**
 * The product's transcription path, shared by live recording, file import and the evaluation
 * scripts: audio and VAD probabilities in, utterance segments out. While an utterance is open its
 * growing audio is re-decoded at a steady cadence for partial text; at the end of the utterance
 * the final text replaces it. When the VAD sees a pause, the final decode starts speculatively, so
 * the text is often ready when the pause is confirmed. Utterances cut at the maximum length are
 * decoded with overlap and stitched to their predecessor. Silence never reaches the decoder.
 */
import { SampleStore } from '../audio/sample-store';
import {
  SpeechSegmenter,
  VAD_RATE,
  type SegmenterOptions,
  type SpeechSegment
} from '../vad/segmenter';
import { joinRanges, rangesLength, sameRanges, toRecordingTime, type Ranges } from './decode-unit';
import { collapseRepetitions, guardSegmentText, isSilenceHallucination } from './hallucination';
import { segmentsFromWords, stitchPair, wordsFromSegments, type TimedWord } from './stitch';
import type { Transcript, TranscriptSegment } from './types';

/**
 * Decodes audio (≤ 30 s for partials; any length for finals). An aborted `signal` may end the
 * decode early (its result is then ignored, resolved or rejected).
 */
export interface LiveEngine {
  decode(
    audio: Float32Array,
    options: { final: boolean; signal?: AbortSignal }
  ): Promise<Transcript>;
}

/** A finished utterance with its text and absolute timestamps (seconds from the recording start). */
export interface LiveFinal {
  id: number;
  start: number;
  end: number;
  text: string;
  segments: TranscriptSegment[];
  speech: SpeechSegment;
}

/** What the live transcript shows. */
export interface LiveEvents {
  /** Partial text of the open utterance (null: cleared). */
  onPartial?(text: string | null): void;
  /** The list of finished utterances changed (a new one, or a stitched edit of the last). */
  onFinals?(finals: readonly LiveFinal[]): void;
  onSpeechStart?(atSample: number): void;
  onError?(error: unknown): void;
}

/** Options of a live transcriber. */
export interface LiveOptions {
  segmenter?: Partial<SegmenterOptions>;
  /** Re-decode the open utterance after this much new audio (0: no partials). */
  partialEveryMs: number;
  /** Audio decoded before a forced cut, to stitch the next utterance to it. */
  overlapMs: number;
  /** Start the final decode when a pause begins, before the utterance is confirmed over. */
  speculative: boolean;
  /**
   * Silence after the last speech frame a speculative decode waits for (the final keeps the full
   * post-roll for playback; Whisper needs only a little trailing silence).
   */
  speculateTailMs: number;
  /**
   * Decode consecutive utterances together (silence between them cut out) up to this much audio:
   * Whisper is far more accurate with context than on a two-second phrase. 0: one per utterance.
   */
  mergeMs: number;
  /** Pauses up to this long between merged utterances are kept, not cut out. */
  joinGapMs: number;
}

const DEFAULTS: LiveOptions = {
  partialEveryMs: 1000,
  overlapMs: 3000,
  speculative: true,
  speculateTailMs: 128,
  mergeMs: 24_000,
  joinGapMs: 3000
};
const PARTIAL_MAX_SAMPLES = 28 * VAD_RATE;

type SegmentEvent = import('../vad/segmenter').SegmenterEvent;

interface Speculation {
  ranges: Ranges;
  result: Promise<Transcript>;
  abort: AbortController;
}

/** Utterances decoded together, shown as one final. */
interface Chunk {
  ranges: [number, number][];
  speech: SpeechSegment[];
  final: LiveFinal;
  words: TimedWord[];
  /** Audio span of the decode (seconds, overlap included), for stitching. */
  start: number;
  end: number;
}

/** One recording's (or file's) streaming transcription. */
export class LiveTranscriber {
  readonly audio = new SampleStore();
  readonly finals: LiveFinal[] = [];
  private readonly segmenter: SpeechSegmenter;
  private readonly options: LiveOptions;
  private readonly queue: SpeechSegment[] = [];
  private busy = false;
  private lastPartialAt = 0;
  private pendingPause: number | null = null;
  private speculation: Speculation | null = null;
  /** The partial decode in flight: a pause cancels it so the final can start at once. */
  private partial: AbortController | null = null;
  /** Whether the open utterance has shown partial text yet (the first partial is never cut). */
  private partialShown = false;
  private chunk: Chunk | null = null;
  private nextId = 1;
  private idle: (() => void)[] = [];
  private readonly failures: unknown[] = [];

  constructor(
    private readonly engine: LiveEngine,
    private readonly events: LiveEvents = {},
    options: Partial<LiveOptions> = {}
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.segmenter = new SpeechSegmenter(options.segmenter);
  }

  /** Whether a decode failed (the transcript then misses an utterance: transcribe the audio). */
  get failed(): boolean {
    return this.failures.length > 0;
  }

  /** Whether an utterance is open. */
  get speaking(): boolean {
    return this.segmenter.speaking;
  }

  /** Appends recorded audio (16 kHz mono). */
  pushAudio(samples: Float32Array): void {
    this.audio.push(samples);
    this.maybeSpeculate();
  }

  /** Feeds the VAD probabilities of the next frames (one per 512 samples, in order). */
  pushProbabilities(probabilities: ArrayLike<number>): void {
    for (let i = 0; i < probabilities.length; i++) {
      for (const event of this.segmenter.push(probabilities[i]!)) this.onEvent(event);
    }
    this.maybeSpeculate();
    this.pump();
  }

  /** Ends the input: closes the open utterance and resolves once every final is decoded. */
  async finish(): Promise<LiveFinal[]> {
    for (const event of this.segmenter.flush()) this.onEvent(event);
    this.events.onPartial?.(null);
    this.pump();
    await this.drained();
    return this.finals;
  }

  /** The whole transcript so far, with absolute segment times. */
  transcript(language: string, modelId: string): Transcript {
    const segments = this.finals.flatMap((f) => f.segments);
    const text = this.finals
      .map((f) => f.text)
      .filter((t) => t !== '')
      .join(' ');
    return { text, segments, language, modelId };
  }

  private onEvent(event: SegmentEvent): void {
    switch (event.type) {
      case 'speech-start':
        this.lastPartialAt = event.start;
        this.partialShown = false;
        this.events.onSpeechStart?.(event.speechStart);
        break;
      case 'pause':
        this.pendingPause = event.at;
        break;
      case 'resume':
        this.pendingPause = null;
        this.dropSpeculation();
        break;
      case 'misfire':
        this.pendingPause = null;
        this.dropSpeculation();
        this.events.onPartial?.(null);
        break;
      case 'speech-end':
        this.pendingPause = null;
        this.partial?.abort();
        this.queue.push(event.segment);
        break;
    }
  }

  /** Speech went on: the speculative final is wasted work, stopped so it frees the decoder. */
  private dropSpeculation(): void {
    this.speculation?.abort.abort();
    this.speculation = null;
  }

  private maybeSpeculate(): void {
    if (!this.options.speculative || this.pendingPause === null || this.speculation) return;
    const start = this.segmenter.openStart;
    if (start === null) return;
    const tail = Math.round((this.options.speculateTailMs * VAD_RATE) / 1000);
    const end = this.pendingPause + Math.min(tail, this.segmenter.postRollSamples);
    if (this.audio.length < end) return;
    // The pause has lasted long enough to bet on: a partial in the way is cut short (it would
    // be replaced within a second anyway), unless it is the utterance's first sign of life; the
    // speculation starts when it returns.
    if (this.partialShown) this.partial?.abort();
    if (this.busy) return;
    const ranges = this.plan(start, end, false).ranges;
    this.busy = true;
    const abort = new AbortController();
    const result = this.engine.decode(joinRanges(this.audio, ranges), {
      final: true,
      signal: abort.signal
    });
    this.speculation = { ranges, result, abort };
    void result
      .catch(() => undefined)
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  /**
   * Which audio the final of an utterance [start, end) decodes: added to the open chunk when it
   * fits, else a new chunk (with overlap before it when it continues a forced cut).
   */
  private plan(start: number, end: number, forcedBefore: boolean) {
    const chunk = this.chunk;
    const last = chunk?.speech.at(-1);
    const continues = !!last?.forced && last.end === start;
    const max = (this.options.mergeMs * VAD_RATE) / 1000;
    if (chunk && !continues && !forcedBefore && rangesLength(chunk.ranges) + end - start <= max) {
      const ranges = chunk.ranges.map(([a, b]) => [a, b] as [number, number]);
      const previous = ranges.at(-1)!;
      // A short pause stays in (it is speech rhythm, and a cut there can clip a soft onset); only
      // real silence is cut out.
      if (start - previous[1] <= (this.options.joinGapMs * VAD_RATE) / 1000) previous[1] = end;
      else ranges.push([start, end]);
      return { ranges, merge: true, continues };
    }
    const overlap = continues ? Math.round((this.options.overlapMs * VAD_RATE) / 1000) : 0;
    return {
      ranges: [[Math.max(0, start - overlap), end]] as [number, number][],
      merge: false,
      continues
    };
  }

  private pump(): void {
    if (this.busy) return;
    const segment = this.queue.shift();
    if (segment) {
      this.busy = true;
      void this.decodeFinal(segment).finally(() => {
        this.busy = false;
        this.pump();
      });
      return;
    }
    // A pause that began while the decoder was busy: its final starts now, before any partial.
    this.maybeSpeculate();
    if (this.busy) return;
    const start = this.segmenter.openStart;
    const every = (this.options.partialEveryMs * VAD_RATE) / 1000;
    if (start !== null && every > 0 && this.pendingPause === null) {
      const end = this.segmenter.frames * 512;
      if (end - this.lastPartialAt >= every && end > start) {
        this.lastPartialAt = end;
        this.busy = true;
        const from = Math.max(start, end - PARTIAL_MAX_SAMPLES);
        const abort = new AbortController();
        this.partial = abort;
        void this.engine
          .decode(this.audio.slice(from, end), { final: false, signal: abort.signal })
          .then((t) => {
            // A partial that lands after its utterance ended (or was cut short) is stale.
            if (this.segmenter.openStart !== start || abort.signal.aborted) return;
            const text = t.text.trim();
            const shortSpeech = end - start < VAD_RATE;
            const shown = shortSpeech && isSilenceHallucination(text) ? null : text;
            if (shown) this.partialShown = true;
            this.events.onPartial?.(shown);
          })
          .catch((err: unknown) => {
            if (!abort.signal.aborted) this.events.onError?.(err);
          })
          .finally(() => {
            this.partial = null;
            this.busy = false;
            this.pump();
          });
        return;
      }
    }
    if (!this.busy && this.queue.length === 0) {
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private drained(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async decodeFinal(segment: SpeechSegment): Promise<void> {
    const { ranges, merge, continues } = this.plan(segment.start, segment.end, false);
    let transcript: Transcript;
    let decoded: Ranges = ranges;
    try {
      const spec = this.speculation;
      this.speculation = null;
      if (spec && adoptable(spec.ranges, ranges, segment.speechEnd)) {
        decoded = spec.ranges;
        transcript = await spec.result;
      } else {
        transcript = await this.engine.decode(joinRanges(this.audio, ranges), { final: true });
      }
    } catch (err) {
      this.failures.push(err);
      this.events.onError?.(err);
      return;
    }
    const absolute = transcript.segments.map((s) => ({
      start: toRecordingTime(decoded, s.start),
      end: toRecordingTime(decoded, s.end),
      text: s.text
    }));
    const window = {
      start: ranges[0]![0] / VAD_RATE,
      end: segment.end / VAD_RATE,
      words: wordsFromSegments(absolute)
    };
    const previous = this.chunk;
    let chunk: Chunk;
    if (merge && previous) {
      chunk = previous;
      chunk.ranges = ranges;
      chunk.speech.push(segment);
      chunk.words = window.words;
      chunk.end = window.end;
      chunk.final.end = segment.end / VAD_RATE;
    } else {
      chunk = {
        ranges,
        speech: [segment],
        words: window.words,
        start: window.start,
        end: window.end,
        final: {
          id: this.nextId++,
          start: segment.start / VAD_RATE,
          end: segment.end / VAD_RATE,
          text: '',
          segments: [],
          speech: segment
        }
      };
      if (continues && previous) {
        const stitched = stitchPair(previous, window);
        const keptPrevious = stitched.words.filter((w) => previous.words.includes(w));
        chunk.words = stitched.words.filter((w) => !previous.words.includes(w));
        if (keptPrevious.length !== previous.words.length) {
          previous.words = keptPrevious;
          setWords(previous.final, keptPrevious, previous.speech);
        }
      }
      this.finals.push(chunk.final);
      this.chunk = chunk;
    }
    chunk.final.speech = segment;
    setWords(chunk.final, chunk.words, chunk.speech);
    this.events.onPartial?.(null);
    // Copies: a merged final changes in place, and views compare by reference.
    this.events.onFinals?.(this.finals.map((f) => ({ ...f })));
  }
}

/**
 * Whether a speculative decode stands for the final one: the same audio, except that it may stop
 * short of the final's post-roll, as long as it holds every speech frame.
 */
function adoptable(spec: Ranges, plan: Ranges, speechEnd: number): boolean {
  if (spec.length !== plan.length || spec.length === 0) return false;
  const last = spec.length - 1;
  return (
    sameRanges(spec.slice(0, last), plan.slice(0, last)) &&
    spec[last]![0] === plan[last]![0] &&
    spec[last]![1] >= speechEnd &&
    spec[last]![1] <= plan[last]![1]
  );
}

/** Sets a final's text and segments from words, with the hallucination guard applied. */
function setWords(final: LiveFinal, words: TimedWord[], speech: readonly SpeechSegment[]): void {
  const raw = words.map((w) => w.text).join(' ');
  const spans = speech.map((s) => (s.speechEnd - s.speechStart) / VAD_RATE);
  const seconds = spans.reduce((n, x) => n + x, 0);
  const ratio =
    speech.reduce((n, s, i) => n + s.speechRatio * spans[i]!, 0) / Math.max(1e-9, seconds);
  const text = guardSegmentText(raw, { ratio, seconds });
  final.text = text;
  // Times come from the words; the text of each piece is re-filtered so a dropped stock phrase or a
  // collapsed loop does not survive in the segment list.
  final.segments =
    text === ''
      ? []
      : segmentsFromWords(words)
          .map((s) => ({ ...s, text: collapseRepetitions(s.text) }))
          .filter((s) => s.text !== '');
}
