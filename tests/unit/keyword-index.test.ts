import { describe, expect, it } from 'vitest';
import { KeywordIndex } from '$lib/search/keyword-index';

/**
 * BM25 reference, written out from the formula (not from the module):
 *   score = Σ idf(t) · tf · (k1 + 1) / (tf + k1 · (1 − b + b · |d| / avgdl))
 *   idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))
 * with k1 = 1.2, b = 0.75, title weight 1. |d| counts words after stop words are dropped.
 */
function bm25(tf: number, df: number, docLength: number, n: number, avgLength: number): number {
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * docLength) / avgLength));
}

const plain = { k1: 1.2, b: 0.75, titleWeight: 1, tagWeight: 1 };
function indexOf(docs: Record<string, string>, params = plain): KeywordIndex {
  const index = new KeywordIndex(params);
  for (const [id, text] of Object.entries(docs)) index.add({ id, title: '', text, tags: [] });
  return index;
}
const scores = (index: KeywordIndex, query: string) =>
  Object.fromEntries(index.search(query).map((h) => [h.id, h.score]));

// Words after stop words go: d1 cat sat mat (3), d2 dog chase cat around garden (5), d3 bird sang
// (2), d4 cat cat cat garden (4) → avgdl = 14 / 4 = 3.5.
const DOCS = {
  d1: 'The cat sat on the mat.',
  d2: 'The dog chased the cats around the garden',
  d3: 'A bird sang',
  d4: 'Cat, cat, CAT! Gardens'
};

describe('KeywordIndex: BM25', () => {
  it('scores one term as BM25 does, with plural and singular as one term', () => {
    const s = scores(indexOf(DOCS), 'cat ');
    expect(Object.keys(s).sort()).toEqual(['d1', 'd2', 'd4']);
    expect(s.d1).toBeCloseTo(bm25(1, 3, 3, 4, 3.5), 12);
    expect(s.d2).toBeCloseTo(bm25(1, 3, 5, 4, 3.5), 12);
    expect(s.d4).toBeCloseTo(bm25(3, 3, 4, 4, 3.5), 12);
  });

  it('sums terms, ignores stop words in the query and ranks best first', () => {
    const index = indexOf(DOCS);
    const s = scores(index, 'the cats in gardens ');
    expect(s.d4).toBeCloseTo(bm25(3, 3, 4, 4, 3.5) + bm25(1, 2, 4, 4, 3.5), 12);
    expect(s.d2).toBeCloseTo(bm25(1, 3, 5, 4, 3.5) + bm25(1, 2, 5, 4, 3.5), 12);
    expect(index.search('cat garden ').map((h) => h.id)).toEqual(['d4', 'd2', 'd1']);
  });

  it('counts a repeated query word once per occurrence', () => {
    const s = scores(indexOf(DOCS), 'bird bird ');
    expect(s.d3).toBeCloseTo(2 * bm25(1, 1, 2, 4, 3.5), 12);
  });

  it('weights title words and tags by their field weight', () => {
    const index = new KeywordIndex({ ...plain, titleWeight: 3, tagWeight: 2 });
    index.add({ id: 'a', title: 'Photosynthesis', text: 'light energy', tags: [] });
    index.add({ id: 'b', title: '', text: 'photosynthesis light', tags: ['energy'] });
    // Lengths: a 3, b 3 → avgdl 3. tf(photosynthesis): a 3 (title), b 1.
    const s = scores(index, 'photosynthesis ');
    expect(s.a).toBeCloseTo(bm25(3, 2, 3, 2, 3), 12);
    expect(s.b).toBeCloseTo(bm25(1, 2, 3, 2, 3), 12);
    expect(scores(index, 'energy ').b).toBeCloseTo(bm25(2, 2, 3, 2, 3), 12);
  });

  it('keeps document frequencies exact when documents are replaced and removed', () => {
    const index = indexOf(DOCS);
    index.add({ id: 'd3', title: '', text: 'A cat sang', tags: [] });
    index.remove('d1');
    // Now d2 (5), d3 cat sang (2), d4 (4): N 3, avgdl 11/3, df(cat) 3.
    expect(index.size).toBe(3);
    expect(scores(index, 'cat ').d3).toBeCloseTo(bm25(1, 3, 2, 3, 11 / 3), 12);
    expect(index.search('mat ')).toEqual([]);
    expect(index.search('bird ')).toEqual([]);
  });

  it('stays correct after many removals compact the postings', () => {
    const index = new KeywordIndex(plain);
    for (let i = 0; i < 3000; i++)
      index.add({ id: `x${i}`, title: '', text: i % 2 ? 'alpha beta' : 'alpha', tags: [] });
    for (let i = 0; i < 2500; i++) index.remove(`x${i}`);
    // 500 left: x2500..x2999, 250 with beta. Every doc length 1 or 2 → avgdl 1.5.
    const s = Object.fromEntries(
      index.search('beta ', { limit: 1000 }).map((h) => [h.id, h.score])
    );
    expect(Object.keys(s)).toHaveLength(250);
    expect(s.x2501).toBeCloseTo(bm25(1, 250, 2, 500, 1.5), 10);
    index.add({ id: 'late', title: '', text: 'beta', tags: [] });
    expect(index.search('beta ', { limit: 1 })[0]?.id).toBe('late');
  });

  it('filters with accept and respects the limit', () => {
    const index = indexOf(DOCS);
    expect(index.search('cat ', { accept: (id) => id !== 'd4' }).map((h) => h.id)).toEqual([
      'd1',
      'd2'
    ]);
    expect(index.search('cat ', { limit: 1 }).map((h) => h.id)).toEqual(['d4']);
  });

  it('returns nothing for empty queries or an empty index', () => {
    expect(indexOf(DOCS).search('  ')).toEqual([]);
    expect(new KeywordIndex().search('cat')).toEqual([]);
  });
});

describe('KeywordIndex: as-you-type', () => {
  const index = indexOf({
    a: 'Photosynthesis turns light into sugar',
    b: 'Photons carry light',
    c: 'The mitochondria make energy'
  });

  it('matches the word being typed as a prefix of any indexed word', () => {
    const hits = index.search('photo');
    expect(hits.map((h) => h.id).sort()).toEqual(['a', 'b']);
    expect(hits[0]?.matched[0]?.kind).toBe('prefix');
  });

  it('only the last word is a prefix, and only without a trailing space', () => {
    expect(index.search('photo ')).toEqual([]);
    // "photo" is finished, so it must match whole (nothing does); "mito" is being typed.
    expect(index.search('photo mito').map((h) => h.id)).toEqual(['c']);
  });

  it('scores an exact match above a prefix expansion of the same word', () => {
    const both = indexOf({ exact: 'light', longer: 'lighthouse' });
    expect(both.search('light').map((h) => h.id)).toEqual(['exact', 'longer']);
  });

  it('tolerates a typo in a finished word the captures do not contain', () => {
    const hits = index.search('photosinthesis ');
    expect(hits.map((h) => h.id)).toEqual(['a']);
    expect(hits[0]?.matched).toEqual([{ term: 'photosynthesi', kind: 'typo' }]);
    expect(index.search('mitochondira ').map((h) => h.id)).toEqual(['c']);
  });

  it('never corrects short words or words that exist', () => {
    expect(
      index
        .search('ligt ')
        .map((h) => h.id)
        .sort()
    ).toEqual(['a', 'b']);
    expect(index.search('lig ')).toEqual([]);
    expect(index.search('sugar ').map((h) => h.matched[0]?.kind)).toEqual(['exact']);
  });

  it('folds accents and matches other scripts whole', () => {
    const intl = indexOf({ fr: 'Le café est très naïf', ru: 'Привет, мир', hi: 'नमस्ते दुनिया' });
    expect(intl.search('cafe ').map((h) => h.id)).toEqual(['fr']);
    expect(intl.search('при').map((h) => h.id)).toEqual(['ru']);
    expect(intl.search('नमस्ते ').map((h) => h.id)).toEqual(['hi']);
  });

  it('ranks by given index terms for "more like this"', () => {
    expect(index.searchTerms(['light', 'unknown']).map((h) => h.id)).toEqual(['b', 'a']);
    expect(index.docFrequency('light')).toBe(2);
    expect(index.idf('absent')).toBe(0);
  });
});

describe('KeywordIndex: stored state', () => {
  it('restores to an index that ranks and scores exactly like the original', () => {
    const original = indexOf(DOCS);
    const restored = KeywordIndex.fromState(structuredClone(original.exportState()), plain);
    if (!restored) throw new Error('state did not restore');
    for (const q of ['cat ', 'cat garden ', 'gard', 'bird sang ', 'cta '])
      expect(restored.search(q)).toEqual(original.search(q));
    expect(restored.size).toBe(4);
  });

  it('keeps exact frequencies when restored documents are replaced or removed', () => {
    const restored = KeywordIndex.fromState(indexOf(DOCS).exportState(), plain)!;
    restored.add({ id: 'd3', title: '', text: 'A cat sang', tags: [] });
    restored.remove('d1');
    // As in "keeps document frequencies exact …" above: N 3, avgdl 11/3, df(cat) 3.
    expect(scores(restored, 'cat ').d3).toBeCloseTo(bm25(1, 3, 2, 3, 11 / 3), 12);
    expect(restored.search('mat ')).toEqual([]);
  });

  it('refuses state made with other parameters', () => {
    const state = indexOf(DOCS).exportState();
    expect(KeywordIndex.fromState(state, { ...plain, k1: 2 })).toBeNull();
  });
});
