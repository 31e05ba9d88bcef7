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
import { joinRanges, rangesLength, toRecordingTime, type Ranges } from './decode-unit';
import { isSilenceHallucination } from './hallucination';
import { adoptable, setWords } from './live-final';
import { PrefixTracker } from './prefix-tracker';
import { stitchPair, wordsFromSegments, type TimedWord } from './stitch';
import type { Transcript, TranscriptSegment } from './types';

/**
 * Decodes audio (≤ 30 s for partials; any length for finals). An aborted `signal` may end the
 * decode early (its result is then ignored, resolved or rejected).
 */
export interface LiveEngine {
  decode(
    audio: Float32Array,
    options: {
      final: boolean;
      signal?: AbortSignal;
      /** Return the decoder's tokens (a timestamped decode), for later decodes to start from. */
      tokens?: boolean;
      /** Tokens the output starts with (forced-prefix.ts); engines without tokens ignore it. */
      forced?: number[];
    }
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
  /**
   * Finals start from text already decoded (the chunk's previous final, and what the last two
   * partials agree on) instead of generating it again: see prefix-tracker.ts. Off by default:
   * measured WER-neutral, but frozen text keeps the punctuation and casing of a decode that had not
   * heard the rest (JFK: "Americans! Ask not! What your country…" where a fresh decode writes
   * "Americans ask not what your country can do for you, …"), and readable text matters more than
   * the ~0.1–0.3 s it saves on a final.
   */
  forcePrefix: boolean;
}

const DEFAULTS: LiveOptions = {
  partialEveryMs: 1000,
  overlapMs: 3000,
  speculative: true,
  speculateTailMs: 64,
  mergeMs: 24_000,
  joinGapMs: 3000,
  forcePrefix: false
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
  /** The decoder tokens of the chunk's audio, when usable as the next merged final's start. */
  tokens?: number[];
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
  private readonly prefixes = new PrefixTracker();
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

  /**
   * Resolves once no decode is running or queued: a simulation that feeds audio faster than real
   * time (the evaluation) waits on it after each chunk, as if every decode were instant.
   */
  settled(): Promise<void> {
    return this.drained();
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
        this.prefixes.reset(event.start);
        this.events.onSpeechStart?.(event.speechStart);
        break;
      case 'pause':
        this.pendingPause = event.at;
        break;
      case 'resume':
        this.pendingPause = null;
        this.dropSpeculation(true);
        break;
      case 'misfire':
        this.pendingPause = null;
        this.dropSpeculation(false);
        this.events.onPartial?.(null);
        break;
      case 'speech-end':
        this.pendingPause = null;
        this.partial?.abort();
        this.queue.push(event.segment);
        break;
    }
  }

  /**
   * Speech went on: the speculative final is wasted work, stopped so it frees the decoder; unless
   * nothing of the utterance is on screen yet (a pause right after its first words): then it runs
   * on and its text is the first partial, sooner than a new decode could give one.
   */
  private dropSpeculation(asPartial: boolean): void {
    const spec = this.speculation;
    this.speculation = null;
    if (!spec) return;
    const start = this.segmenter.openStart;
    const own = spec.ranges.length === 1 && spec.ranges[0]![0] === start;
    if (!asPartial || this.partialShown || start === null || !own) {
      spec.abort.abort();
      return;
    }
    spec.result.then(
      (t) => {
        const text = t.text.trim();
        if (this.segmenter.openStart !== start || this.partialShown || !text) return;
        if (isSilenceHallucination(text)) return;
        this.partialShown = true;
        this.prefixes.addPartial(start, t.tokens);
        this.events.onPartial?.(text);
      },
      () => undefined
    );
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
    const { ranges, merge } = this.plan(start, end, false);
    this.busy = true;
    const abort = new AbortController();
    const result = this.engine.decode(joinRanges(this.audio, ranges), {
      final: true,
      signal: abort.signal,
      forced: this.forcedFor(start, ranges, merge)
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

  /** Tokens the final decode of the utterance at `start`, as `ranges`, can start from. */
  private forcedFor(start: number, ranges: Ranges, merge: boolean): number[] | undefined {
    if (!this.options.forcePrefix) return undefined;
    return this.prefixes.forced(start, ranges, merge ? this.chunk?.tokens : null);
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
          .decode(this.audio.slice(from, end), {
            final: false,
            signal: abort.signal,
            tokens: this.options.forcePrefix
          })
          .then((t) => {
            // A partial that lands after its utterance ended (or was cut short) is stale.
            if (this.segmenter.openStart !== start || abort.signal.aborted) return;
            this.prefixes.addPartial(from, t.tokens);
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
        transcript = await this.engine.decode(joinRanges(this.audio, ranges), {
          final: true,
          forced: this.forcedFor(segment.start, ranges, merge)
        });
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
    const intact = setWords(chunk.final, chunk.words, chunk.speech);
    // Text the guard took out must not be forced back into the next merged final.
    chunk.tokens = intact ? transcript.tokens : undefined;
    this.events.onPartial?.(null);
    // Copies: a merged final changes in place, and views compare by reference.
    this.events.onFinals?.(this.finals.map((f) => ({ ...f })));
  }
}
