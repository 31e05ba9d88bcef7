/**
 * Splits a capture into passages, the unit of embedding and of meaning search. MiniLM reads at most
 * 256 word pieces and a long text's meaning blurs in one vector, so passages are runs of whole
 * sentences of at most `maxWords` words (a sentence longer than that is cut by words). Passages
 * carry their audio span when the transcript still matches its timed segments.
 */
import type { TranscriptSegment } from '../asr/types';

/** A passage before it gets an id. */
export interface PassageDraft {
  index: number;
  text: string;
  start: number | null;
  end: number | null;
}

/** Default passage size: about 200 word pieces, inside MiniLM's 256 (its inputs are cut there). */
export const MAX_PASSAGE_WORDS = 150;

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

interface Piece {
  text: string;
  from: number;
  to: number;
  words: number;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Sentences of `text` with their character ranges; long ones cut into `maxWords` pieces. */
function sentences(text: string, maxWords: number): Piece[] {
  const out: Piece[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    const trimmed = segment.trim();
    if (!trimmed) continue;
    const from = index + segment.indexOf(trimmed);
    const words = [...trimmed.matchAll(/\S+/g)];
    for (let i = 0; i < words.length; i += maxWords) {
      const first = words[i]!;
      const last = words[Math.min(words.length, i + maxWords) - 1]!;
      const start = from + first.index;
      const end = from + last.index + last[0].length;
      out.push({
        text: text.slice(start, end),
        from: start,
        to: end,
        words: Math.min(maxWords, words.length - i)
      });
    }
  }
  return out;
}

/** Splits a capture's text into passages, in order. */
export function splitPassages(
  text: string,
  segments: readonly TranscriptSegment[] = [],
  maxWords = MAX_PASSAGE_WORDS
): PassageDraft[] {
  const pieces = sentences(text, maxWords);
  const groups: Piece[][] = [];
  let current: Piece[] = [];
  let words = 0;
  for (const piece of pieces) {
    if (current.length > 0 && words + piece.words > maxWords) {
      groups.push(current);
      current = [];
      words = 0;
    }
    current.push(piece);
    words += piece.words;
  }
  if (current.length > 0) groups.push(current);
  const timing = segmentTimes(text, segments);
  return groups.map((group, index) => {
    const from = group[0]!.from;
    const to = group.at(-1)!.to;
    return {
      index,
      text: text.slice(from, to),
      start: timing ? timing(from, 'start') : null,
      end: timing ? timing(to - 1, 'end') : null
    };
  });
}

/**
 * Maps a character offset of `text` to the start/end time of the segment holding it, when the
 * segments spell out the text (an edited transcript no longer does: then no times).
 */
function segmentTimes(
  text: string,
  segments: readonly TranscriptSegment[]
): ((offset: number, edge: 'start' | 'end') => number) | null {
  if (segments.length === 0) return null;
  const squash = (s: string) => s.replace(/\s+/g, '');
  // Compare without whitespace: segment joins add or drop spaces.
  if (squash(segments.map((s) => s.text).join('')) !== squash(text)) return null;
  const bounds: number[] = [];
  let seen = 0;
  for (const segment of segments) {
    seen += squash(segment.text).length;
    bounds.push(seen);
  }
  return (offset, edge) => {
    const position = squash(text.slice(0, offset + 1)).length;
    const i = Math.max(
      0,
      bounds.findIndex((b) => position <= b)
    );
    const segment = segments[i] ?? segments.at(-1)!;
    return edge === 'start' ? segment.start : segment.end;
  };
}

/** Whether stored passages (in index order) still match freshly split drafts. */
export function samePassages(
  stored: readonly { index: number; text: string }[],
  drafts: readonly PassageDraft[]
): boolean {
  if (stored.length !== drafts.length) return false;
  const sorted = [...stored].sort((a, b) => a.index - b.index);
  return sorted.every((p, i) => p.text === drafts[i]!.text);
}

/** Words in a text (for progress and cost estimates). */
export { wordCount };
