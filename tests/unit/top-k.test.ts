import { describe, expect, it } from 'vitest';
import { TopK, topK } from '$lib/search/top-k';

describe('topK', () => {
  it('returns the k best, best first, equal to a full sort', () => {
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    const expected = [...values].sort((a, b) => b - a).slice(0, 10);
    expect(topK(values, 10, (v) => v).map((s) => s.item)).toEqual(expected);
  });

  it('keeps the first pushed of equal scores', () => {
    const items = ['a', 'b', 'c', 'd'];
    expect(topK(items, 2, () => 1).map((s) => s.item)).toEqual(['a', 'b']);
  });

  it('handles k of 0, k larger than the input, and NaN scores', () => {
    expect(topK([1, 2], 0, (v) => v)).toEqual([]);
    expect(topK([1, 3, 2], 10, (v) => v).map((s) => s.item)).toEqual([3, 2, 1]);
    expect(topK([1, NaN, 2], 5, (v) => v).map((s) => s.item)).toEqual([2, 1]);
  });

  it('reports the entry threshold once full', () => {
    const heap = new TopK<string>(2);
    expect(heap.threshold).toBe(-Infinity);
    heap.push('a', 5);
    heap.push('b', 3);
    heap.push('c', 4);
    expect(heap.threshold).toBe(4);
    expect(heap.sorted().map((s) => s.item)).toEqual(['a', 'c']);
  });
});
