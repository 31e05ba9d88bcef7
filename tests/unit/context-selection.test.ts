import { describe, expect, it } from 'vitest';
import {
  citedCaptures,
  contextBlock,
  estimateTokens,
  formatItem,
  selectContext,
  type ContextCandidate
} from '$lib/agent/context';
import type { CaptureId } from '$lib/db/ids';

const day = (d: number) => Date.UTC(2026, 0, d, 12);
const capture = (id: string, text: string, over: Partial<ContextCandidate> = {}) => ({
  id: id as CaptureId,
  title: `Title ${id}`,
  text,
  createdAt: day(3),
  private: false,
  ...over
});

describe('selectContext', () => {
  it('numbers notes in rank order with their date', () => {
    const items = selectContext([capture('a', 'Alpha text.'), capture('b', 'Beta text.')]);
    expect(items.map((i) => [i.n, i.captureId, i.date])).toEqual([
      [1, 'a', '2026-01-03'],
      [2, 'b', '2026-01-03']
    ]);
    expect(formatItem(items[0]!)).toBe('[1] Title a (2026-01-03)\nAlpha text.');
  });

  it('never includes a private capture, even when the caller passes one', () => {
    const secret = 'my secret exam worries';
    const items = selectContext([
      capture('p', secret, { private: true }),
      capture('a', 'Public note.')
    ]);
    expect(items.map((i) => i.captureId)).toEqual(['a']);
    expect(items[0]!.n).toBe(1);
    expect(contextBlock(items)).not.toContain(secret);
  });

  it('keeps the whole context within the token budget and cuts long notes at a word', () => {
    const long = 'word '.repeat(2000).trim();
    const budget = { totalTokens: 300, perNoteTokens: 200, minNoteTokens: 40 };
    const items = selectContext(
      [capture('a', long), capture('b', long), capture('c', long)],
      budget
    );
    expect(items.map((i) => i.captureId)).toEqual(['a', 'b']);
    const total = items.reduce((n, i) => n + estimateTokens(formatItem(i)), 0);
    expect(total).toBeLessThanOrEqual(budget.totalTokens + items.length);
    expect(items[0]!.truncated).toBe(true);
    expect(items[0]!.text.endsWith('word…')).toBe(true);
    expect(estimateTokens(formatItem(items[0]!))).toBeLessThanOrEqual(budget.perNoteTokens + 1);
  });

  it('skips a note that would get less than the minimum and fits a later short one', () => {
    const budget = { totalTokens: 120, perNoteTokens: 100, minNoteTokens: 40 };
    const items = selectContext(
      [capture('a', 'x '.repeat(400)), capture('b', 'y '.repeat(400)), capture('c', 'Short.')],
      budget
    );
    expect(items.map((i) => i.captureId)).toEqual(['a']);
    const roomy = selectContext([capture('a', 'x '.repeat(150)), capture('c', 'Short.')], {
      totalTokens: 200,
      perNoteTokens: 100,
      minNoteTokens: 5
    });
    expect(roomy.map((i) => i.captureId)).toEqual(['a', 'c']);
  });

  it('skips empty captures and returns nothing for no candidates', () => {
    expect(selectContext([capture('e', '   ')])).toEqual([]);
    expect(contextBlock([])).toBe('');
  });
});

describe('citedCaptures', () => {
  const items = selectContext([capture('a', 'A.'), capture('b', 'B.'), capture('c', 'C.')]);
  it('maps [n], [n, m] and [n][m] to captures in order of first citation, once each', () => {
    expect(citedCaptures('As you said [2], and [1, 3]. Again [2][1].', items)).toEqual([
      'b',
      'a',
      'c'
    ]);
  });
  it('ignores numbers without a note and text without citations', () => {
    expect(citedCaptures('See [7] and [0].', items)).toEqual([]);
    expect(citedCaptures('No citations here (1).', items)).toEqual([]);
  });
});
