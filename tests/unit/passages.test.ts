import { describe, expect, it } from 'vitest';
import { samePassages, splitPassages } from '$lib/embedding/passages';

describe('splitPassages', () => {
  it('keeps a short text as one passage', () => {
    expect(splitPassages('One idea. Another idea.')).toEqual([
      { index: 0, text: 'One idea. Another idea.', start: null, end: null }
    ]);
  });

  it('groups whole sentences up to the word limit', () => {
    const text = 'Alpha beta gamma. Delta epsilon. Zeta eta theta iota. Kappa.';
    const passages = splitPassages(text, [], 5);
    expect(passages.map((p) => p.text)).toEqual([
      'Alpha beta gamma. Delta epsilon.',
      'Zeta eta theta iota. Kappa.'
    ]);
    expect(passages.map((p) => p.index)).toEqual([0, 1]);
  });

  it('cuts a sentence longer than the limit by words, losing none', () => {
    const words = Array.from({ length: 23 }, (_, i) => `w${i}`);
    const passages = splitPassages(words.join(' '), [], 10);
    expect(passages.map((p) => p.text.split(' ').length)).toEqual([10, 10, 3]);
    expect(passages.map((p) => p.text).join(' ')).toBe(words.join(' '));
  });

  it('returns nothing for empty text', () => {
    expect(splitPassages('  ')).toEqual([]);
  });

  it('carries audio times when the transcript still matches its segments', () => {
    const segments = [
      { start: 0, end: 2.5, text: 'First part here.' },
      { start: 2.5, end: 5, text: 'Second part.' },
      { start: 5, end: 9, text: 'Third part now.' }
    ];
    const text = 'First part here. Second part. Third part now.';
    const passages = splitPassages(text, segments, 5);
    expect(passages.map((p) => [p.text, p.start, p.end])).toEqual([
      ['First part here. Second part.', 0, 5],
      ['Third part now.', 5, 9]
    ]);
    // After an edit, the segments no longer spell the text: no times rather than wrong ones.
    expect(splitPassages('Edited text.', segments)[0]).toMatchObject({ start: null, end: null });
  });

  it('compares stored passages with fresh drafts', () => {
    const drafts = splitPassages('A. B.', [], 1);
    expect(
      samePassages(
        [
          { index: 1, text: 'B.' },
          { index: 0, text: 'A.' }
        ],
        drafts
      )
    ).toBe(true);
    expect(samePassages([{ index: 0, text: 'A.' }], drafts)).toBe(false);
  });
});
