import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, strongKeywordHits, strongVectorHits } from '$lib/search/fusion';

describe('reciprocalRankFusion', () => {
  it('adds w / (k + rank) over the lists', () => {
    const fused = reciprocalRankFusion(
      [
        { name: 'keyword', ids: ['a', 'b', 'c'] },
        { name: 'meaning', ids: ['c', 'a'], weight: 2 }
      ],
      { k: 10 }
    );
    const score = Object.fromEntries(fused.map((f) => [f.id, f.score]));
    expect(score.a).toBeCloseTo(1 / 11 + 2 / 12, 12);
    expect(score.b).toBeCloseTo(1 / 12, 12);
    expect(score.c).toBeCloseTo(1 / 13 + 2 / 11, 12);
    expect(fused.map((f) => f.id)).toEqual(['c', 'a', 'b']);
    expect(fused[0]?.ranks).toEqual({ keyword: 3, meaning: 1 });
  });

  it('pins strong matches above the rest, without diluting them', () => {
    const lists = [
      { name: 'keyword', ids: ['exact', 'x', 'y'], strong: new Set(['exact']) },
      { name: 'meaning', ids: ['x', 'y', 'z'] }
    ];
    const fused = reciprocalRankFusion(lists, { k: 60 });
    expect(fused.map((f) => f.id)).toEqual(['exact', 'x', 'y', 'z']);
    expect(fused[0]?.strong).toBe(true);
    // Without the guard, "exact" (found by one side only) falls below x and y.
    const unguarded = reciprocalRankFusion([{ ...lists[0]!, strong: undefined }, lists[1]!]);
    expect(unguarded.map((f) => f.id)).toEqual(['x', 'y', 'exact', 'z']);
  });

  it('counts an id once per list and keeps first-seen order on ties', () => {
    const fused = reciprocalRankFusion([{ name: 'a', ids: ['p', 'q', 'p'] }], { k: 1 });
    expect(fused.map((f) => [f.id, f.score])).toEqual([
      ['p', 1 / 2],
      ['q', 1 / 3]
    ]);
    expect(reciprocalRankFusion([{ name: 'a', ids: [] }])).toEqual([]);
  });
});

describe('strong match guards', () => {
  it('flags the top keyword hit only when it matched every word and leads by the margin', () => {
    const hit = (id: string, score: number, exactAll = true) => ({ id, score, exactAll });
    expect([...strongKeywordHits([hit('a', 10), hit('b', 5)])]).toEqual(['a']);
    expect([...strongKeywordHits([hit('a', 10), hit('b', 8)])]).toEqual([]);
    expect([...strongKeywordHits([hit('a', 10, false), hit('b', 1)])]).toEqual([]);
    expect([...strongKeywordHits([hit('a', 1)])]).toEqual(['a']);
    expect([...strongKeywordHits([])]).toEqual([]);
  });

  it('flags meaning hits at or above the similarity threshold', () => {
    const hits = [
      { id: 'a', similarity: 0.9 },
      { id: 'b', similarity: 0.7 }
    ];
    expect([...strongVectorHits(hits, 0.8)]).toEqual(['a']);
    expect([...strongVectorHits(hits, Infinity)]).toEqual([]);
  });
});
