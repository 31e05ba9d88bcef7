/**
 * Pure steps of the live transcriber's finals: whether a speculative decode can stand for the
 * final, and a final's text from its words with the hallucination guard applied.
 */
import type { SpeechSegment } from '../vad/segmenter';
import { VAD_RATE } from '../vad/segmenter';
import { sameRanges, type Ranges } from './decode-unit';
import { collapseRepetitions, guardSegmentText } from './hallucination';
import { segmentsFromWords, type TimedWord } from './stitch';
import type { LiveFinal } from './live-transcriber';

/**
 * Whether a speculative decode stands for the final one: the same audio, except that it may stop
 * short of the final's post-roll, as long as it holds every speech frame.
 */
export function adoptable(spec: Ranges, plan: Ranges, speechEnd: number): boolean {
  if (spec.length !== plan.length || spec.length === 0) return false;
  const last = spec.length - 1;
  return (
    sameRanges(spec.slice(0, last), plan.slice(0, last)) &&
    spec[last]![0] === plan[last]![0] &&
    spec[last]![1] >= speechEnd &&
    spec[last]![1] <= plan[last]![1]
  );
}

/**
 * Sets a final's text and segments from words, with the hallucination guard applied; whether the
 * guard left the words as they were.
 */
export function setWords(
  final: LiveFinal,
  words: TimedWord[],
  speech: readonly SpeechSegment[]
): boolean {
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
  return text === raw;
}
