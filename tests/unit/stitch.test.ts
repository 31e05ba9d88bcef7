import { describe, expect, it } from 'vitest';
import {
  planWindows,
  segmentsFromWords,
  stitchPair,
  stitchWindows,
  wordsFromSegments,
  type TimedWord,
  type WindowWords
} from '$lib/asr/stitch';

const SENTENCE =
  'the quick brown fox jumps over the lazy dog while the old cat sleeps in the warm sun and the birds sing in the tall green trees by the river'.split(
    ' '
  );

/** Words spoken at 0.4 s each from t=0. */
const spoken = SENTENCE.map((text, i): TimedWord => ({
  text,
  start: i * 0.4,
  end: i * 0.4 + 0.35
}));

/** What a window "hears": the words inside it, with optional edits at its edges. */
function hear(start: number, end: number, edit?: (words: TimedWord[]) => TimedWord[]): WindowWords {
  const words = spoken.filter((w) => w.start >= start - 0.05 && w.end <= end + 0.05);
  return { start, end, words: edit ? edit(words.map((w) => ({ ...w }))) : words };
}

const text = (w: WindowWords) => w.words.map((x) => x.text).join(' ');

describe('stitchWindows', () => {
  it('joins overlapping windows into the exact text, with no duplicates or drops', () => {
    const windows = [hear(0, 6), hear(4, 10), hear(8, 14)];
    expect(text(stitchWindows(windows))).toBe(SENTENCE.join(' '));
  });

  it('ignores garbled words at the window edges (a cut syllable) when the middle agrees', () => {
    const a = hear(0, 6, (w) => [...w.slice(0, -1), { ...w.at(-1)!, text: 'ju-' }]);
    const b = hear(4, 10, (w) => [{ ...w[0]!, text: 'ump' }, ...w.slice(1)]);
    expect(text(stitchPair(a, b))).toBe(SENTENCE.slice(0, 25).join(' '));
  });

  it('keeps case and punctuation of the side each word comes from', () => {
    const a = hear(0, 6, (w) => w.map((x, i) => (i === 0 ? { ...x, text: 'The' } : x)));
    const b = hear(4, 10, (w) =>
      w.map((x) => (x.text === 'sleeps' ? { ...x, text: 'sleeps.' } : x))
    );
    const joined = text(stitchPair(a, b));
    expect(joined.startsWith('The quick')).toBe(true);
    expect(joined).toContain('cat sleeps. in');
  });

  it('falls back to the middle of the overlap when the windows disagree there', () => {
    const a = hear(0, 6, (w) => w.map((x) => (x.start >= 4 ? { ...x, text: `A_${x.text}` } : x)));
    const b = hear(4, 10, (w) => w.map((x) => (x.start < 6 ? { ...x, text: `B_${x.text}` } : x)));
    const words = stitchPair(a, b).words;
    // Each spoken word appears exactly once, from one side or the other.
    expect(words.map((w) => w.text.replace(/^[AB]_/, ''))).toEqual(SENTENCE.slice(0, 25));
  });

  it('concatenates windows that do not overlap', () => {
    expect(text(stitchWindows([hear(0, 4), hear(4, 8)]))).toBe(SENTENCE.slice(0, 20).join(' '));
  });
});

describe('planWindows', () => {
  it('covers the span with overlapping windows, the last one ending at the end', () => {
    expect(planWindows(0, 100, 30, 5)).toEqual([
      [0, 30],
      [25, 55],
      [50, 80],
      [75, 100]
    ]);
    expect(planWindows(10, 20, 30, 5)).toEqual([[10, 20]]);
  });
});

describe('wordsFromSegments and segmentsFromWords', () => {
  it('spreads a segment over its words in order and regroups at sentence ends', () => {
    const words = wordsFromSegments([{ start: 1, end: 3, text: 'Hello there. How are you?' }]);
    expect(words.map((w) => w.text)).toEqual(['Hello', 'there.', 'How', 'are', 'you?']);
    expect(words[0]!.start).toBe(1);
    expect(words.at(-1)!.end).toBeCloseTo(3, 6);
    for (let i = 1; i < words.length; i++)
      expect(words[i]!.start).toBeCloseTo(words[i - 1]!.end, 6);
    const segments = segmentsFromWords(words);
    expect(segments.map((s) => s.text)).toEqual(['Hello there.', 'How are you?']);
  });
});
