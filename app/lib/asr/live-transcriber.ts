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
import { collapseRepetitions, guardSegmentText, isSilenceHallucination } from './hallucination';
import { segmentsFromWords, stitchPair, wordsFromSegments, type TimedWord } from './stitch';
import type { Transcript, TranscriptSegment } from './types';

/** Decodes audio (≤ 30 s for partials; any length for finals). */
export interface LiveEngine {
  decode(audio: Float32Array, options: { final: boolean }): Promise<Transcript>;
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
}

const DEFAULTS: LiveOptions = { partialEveryMs: 1000, overlapMs: 3000, speculative: true };
const PARTIAL_MAX_SAMPLES = 28 * VAD_RATE;

type SegmentEvent = import('../vad/segmenter').SegmenterEvent;

interface Speculation {
  start: number;
  end: number;
  result: Promise<Transcript>;
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
  private lastWords: { start: number; end: number; words: TimedWord[]; final: LiveFinal } | null =
    null;
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
        this.events.onSpeechStart?.(event.speechStart);
        break;
      case 'pause':
        this.pendingPause = event.at;
        break;
      case 'resume':
        this.pendingPause = null;
        this.speculation = null;
        break;
      case 'misfire':
        this.pendingPause = null;
        this.speculation = null;
        this.events.onPartial?.(null);
        break;
      case 'speech-end':
        this.pendingPause = null;
        this.queue.push(event.segment);
        break;
    }
  }

  private maybeSpeculate(): void {
    if (!this.options.speculative || this.pendingPause === null || this.speculation) return;
    const start = this.segmenter.openStart;
    if (start === null) return;
    const end = this.pendingPause + this.segmenter.postRollSamples;
    if (this.audio.length < end || this.busy) return;
    this.busy = true;
    const result = this.engine.decode(this.audio.slice(start, end), { final: true });
    this.speculation = { start, end, result };
    void result
      .catch(() => undefined)
      .finally(() => {
        this.busy = false;
        this.pump();
      });
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
    const start = this.segmenter.openStart;
    const every = (this.options.partialEveryMs * VAD_RATE) / 1000;
    if (start !== null && every > 0 && this.pendingPause === null) {
      const end = this.segmenter.frames * 512;
      if (end - this.lastPartialAt >= every && end > start) {
        this.lastPartialAt = end;
        this.busy = true;
        const from = Math.max(start, end - PARTIAL_MAX_SAMPLES);
        void this.engine
          .decode(this.audio.slice(from, end), { final: false })
          .then((t) => {
            // A partial that lands after its utterance ended is stale.
            if (this.segmenter.openStart !== start) return;
            const text = t.text.trim();
            const shortSpeech = end - start < VAD_RATE;
            this.events.onPartial?.(shortSpeech && isSilenceHallucination(text) ? null : text);
          })
          .catch((err: unknown) => this.events.onError?.(err))
          .finally(() => {
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
    const previous = this.lastWords;
    const continues =
      previous !== null &&
      previous.final.speech.forced &&
      previous.end * VAD_RATE === segment.start;
    const overlap = continues ? Math.round((this.options.overlapMs * VAD_RATE) / 1000) : 0;
    const from = Math.max(0, segment.start - overlap);
    let transcript: Transcript;
    try {
      const spec = this.speculation;
      this.speculation = null;
      transcript =
        spec && spec.start === from && spec.end === segment.end
          ? await spec.result
          : await this.engine.decode(this.audio.slice(from, segment.end), { final: true });
    } catch (err) {
      this.failures.push(err);
      this.events.onError?.(err);
      return;
    }
    const offset = from / VAD_RATE;
    const absolute = transcript.segments.map((s) => ({
      start: s.start + offset,
      end: s.end + offset,
      text: s.text
    }));
    const window = {
      start: offset,
      end: segment.end / VAD_RATE,
      words: wordsFromSegments(absolute)
    };
    const final: LiveFinal = {
      id: this.nextId++,
      start: segment.start / VAD_RATE,
      end: segment.end / VAD_RATE,
      text: '',
      segments: [],
      speech: segment
    };
    let words = window.words;
    if (continues && previous) {
      const stitched = stitchPair(previous, window);
      const keptPrevious = stitched.words.filter((w) => previous.words.includes(w));
      words = stitched.words.filter((w) => !previous.words.includes(w));
      if (keptPrevious.length !== previous.words.length) {
        setWords(previous.final, keptPrevious, previous.final.speech);
        previous.words = keptPrevious;
      }
    }
    setWords(final, words, segment);
    this.finals.push(final);
    this.lastWords = { start: window.start, end: final.end, words, final };
    this.events.onPartial?.(null);
    this.events.onFinals?.([...this.finals]);
  }
}

/** Sets a final's text and segments from words, with the hallucination guard applied. */
function setWords(final: LiveFinal, words: TimedWord[], speech: SpeechSegment): void {
  const raw = words.map((w) => w.text).join(' ');
  const text = guardSegmentText(raw, {
    ratio: speech.speechRatio,
    seconds: (speech.speechEnd - speech.speechStart) / VAD_RATE
  });
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
