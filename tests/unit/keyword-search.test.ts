import { describe, expect, it } from 'vitest';
import {
  keywordSearch,
  snippet,
  type SearchDoc,
  type SnippetPart
} from '$lib/search/keyword-search';

/**
 * BM25 reference, written out from the formula (not from the module):
 *   score = Σ idf(t) · tf · (k1 + 1) / (tf + k1 · (1 − b + b · |d| / avgdl))
 *   idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)),  k1 = 1.2, b = 0.75
 */
function bm25(tf: number, df: number, docLength: number, n: number, avgLength: number): number {
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * docLength) / avgLength));
}

// Token counts: d1 = 6, d2 = 8, d3 = 3, d4 = 4 → avgdl = 21 / 4 = 5.25.
const DOCS: SearchDoc[] = [
  { id: 'd1', text: 'The cat sat on the mat.' },
  { id: 'd2', text: 'The dog chased the cat around the garden' },
  { id: 'd3', text: 'A bird sang' },
  { id: 'd4', text: 'Cat, cat, CAT! Garden' }
];
const N = 4;
const AVG = 21 / 4;

describe('keywordSearch: BM25 scores', () => {
  it('scores a single term as BM25 does', () => {
    // "cat": df = 3 (d1, d2, d4); tf = 1, 1, 3.
    const hits = keywordSearch(DOCS, 'cat ');
    const byId = Object.fromEntries(hits.map((h) => [h.id, h.score]));
    expect(Object.keys(byId).sort()).toEqual(['d1', 'd2', 'd4']);
    expect(byId.d1).toBeCloseTo(bm25(1, 3, 6, N, AVG), 12);
    expect(byId.d2).toBeCloseTo(bm25(1, 3, 8, N, AVG), 12);
    expect(byId.d4).toBeCloseTo(bm25(3, 3, 4, N, AVG), 12);
  });

  it('sums the scores of several query terms', () => {
    // "garden": df = 2 (d2, d4).
    const hits = keywordSearch(DOCS, 'cat garden ');
    const byId = Object.fromEntries(hits.map((h) => [h.id, h.score]));
    expect(byId.d2).toBeCloseTo(bm25(1, 3, 8, N, AVG) + bm25(1, 2, 8, N, AVG), 12);
    expect(byId.d4).toBeCloseTo(bm25(3, 3, 4, N, AVG) + bm25(1, 2, 4, N, AVG), 12);
    expect(byId.d1).toBeCloseTo(bm25(1, 3, 6, N, AVG), 12);
  });

  it('ranks by score, best first', () => {
    // By the formula: d4 (tf 3, short) > d1 (shorter than d2) > d2.
    expect(bm25(3, 3, 4, N, AVG)).toBeGreaterThan(bm25(1, 3, 6, N, AVG));
    expect(keywordSearch(DOCS, 'cat ').map((h) => h.id)).toEqual(['d4', 'd1', 'd2']);
    // A rare term outweighs a common one.
    expect(keywordSearch(DOCS, 'dog cat ').map((h) => h.id)[0]).toBe('d2');
  });

  it('gives rarer terms a higher weight', () => {
    const [sang] = keywordSearch(DOCS, 'sang ');
    expect(sang?.score).toBeCloseTo(bm25(1, 1, 3, N, AVG), 12);
  });

  it('respects the limit', () => {
    expect(keywordSearch(DOCS, 'cat ', 2).map((h) => h.id)).toEqual(['d4', 'd1']);
  });

  it('returns nothing for an empty query, a punctuation query or no documents', () => {
    expect(keywordSearch(DOCS, '')).toEqual([]);
    expect(keywordSearch(DOCS, '   ')).toEqual([]);
    expect(keywordSearch(DOCS, '?!')).toEqual([]);
    expect(keywordSearch([], 'cat')).toEqual([]);
  });

  it('matches regardless of case and punctuation in the document', () => {
    expect(keywordSearch(DOCS, 'MAT ').map((h) => h.id)).toEqual(['d1']);
  });
});

describe('keywordSearch: prefix matching while typing', () => {
  it('matches the last word as a prefix when the query does not end in a space', () => {
    const hits = keywordSearch(DOCS, 'gar');
    expect(hits.map((h) => h.id).sort()).toEqual(['d2', 'd4']);
    expect(hits.every((h) => h.terms.join() === 'garden')).toBe(true);
    const byId = Object.fromEntries(hits.map((h) => [h.id, h.score]));
    expect(byId.d4).toBeCloseTo(bm25(1, 2, 4, N, AVG), 12);
  });

  it('matches exactly once the word is finished with a space', () => {
    expect(keywordSearch(DOCS, 'gar ')).toEqual([]);
    expect(keywordSearch(DOCS, 'gar\t')).toEqual([]);
  });

  it('only treats the last word as a prefix', () => {
    // "ca" is not the last word, so it must match exactly (and matches nothing).
    const hits = keywordSearch(DOCS, 'ca gar');
    const byId = Object.fromEntries(hits.map((h) => [h.id, h]));
    expect(byId.d2?.terms).toEqual(['garden']);
    expect(byId.d2?.score).toBeCloseTo(bm25(1, 2, 8, N, AVG), 12);
    expect(byId.d1).toBeUndefined();
  });

  it('scores a prefix by its best-matching expansion and reports every matched expansion', () => {
    // In d2, "c" expands to "cat" (df 3) and "chased" (df 1): the rarer "chased" scores higher.
    const hits = keywordSearch(DOCS, 'dog c');
    const d2 = hits.find((h) => h.id === 'd2');
    expect(d2?.terms.sort()).toEqual(['cat', 'chased', 'dog']);
    expect(d2?.score).toBeCloseTo(bm25(1, 1, 8, N, AVG) + bm25(1, 1, 8, N, AVG), 12);
  });

  it('reports the matched document terms, not the query text', () => {
    const hits = keywordSearch(DOCS, 'DOG CHA');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.terms.sort()).toEqual(['chased', 'dog']);
  });
});

describe('keywordSearch: unicode', () => {
  const docs: SearchDoc[] = [
    { id: 'fr', text: 'Le café est très naïf' },
    { id: 'de', text: 'Über die Brücke gehen' },
    { id: 'ru', text: 'Привет, мир' },
    { id: 'hi', text: 'नमस्ते दुनिया' },
    { id: 'nfd', text: 'un cafe\u0301 noir' }
  ];

  it('finds accented words typed with composed accents, including decomposed text', () => {
    expect(
      keywordSearch(docs, 'café ')
        .map((h) => h.id)
        .sort()
    ).toEqual(['fr', 'nfd']);
  });

  it('prefix-matches non-Latin words', () => {
    expect(keywordSearch(docs, 'бр').map((h) => h.id)).toEqual([]);
    expect(keywordSearch(docs, 'при').map((h) => h.id)).toEqual(['ru']);
    expect(keywordSearch(docs, 'brü').map((h) => h.id)).toEqual(['de']);
  });

  it('matches whole Devanagari words and reports them whole', () => {
    const hits = keywordSearch(docs, 'नमस्ते ');
    expect(hits.map((h) => h.id)).toEqual(['hi']);
    expect(hits[0]?.terms).toEqual(['नमस्ते']);
    expect(keywordSearch(docs, 'दुनि').map((h) => h.terms)).toEqual([['दुनिया']]);
  });
});

const joined = (parts: SnippetPart[]) => parts.map((p) => p.text).join('');
const marked = (parts: SnippetPart[]) => parts.filter((p) => p.match).map((p) => p.text);

describe('snippet', () => {
  it('highlights every occurrence of the matched words, whatever their case', () => {
    const parts = snippet('The cat saw another Cat.', ['cat']);
    expect(parts).toEqual([
      { text: 'The ', match: false },
      { text: 'cat', match: true },
      { text: ' saw another ', match: false },
      { text: 'Cat', match: true },
      { text: '.', match: false }
    ]);
  });

  it('highlights the whole word a prefix term starts', () => {
    expect(marked(snippet('Gardens and gardening', ['garden']))).toEqual(['Gardens', 'gardening']);
  });

  it('does not highlight a term inside another word', () => {
    expect(marked(snippet('concatenate the cat', ['cat']))).toEqual(['cat']);
  });

  it('does not highlight a partial word where the window starts mid-word', () => {
    // The window starts 11 characters before the match, which is inside "concatenate".
    const parts = snippet('concatenate a cat', ['cat'], 11);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(marked(parts)).toEqual(['cat']);
  });

  it('highlights several terms and keeps possessives with their word', () => {
    expect(marked(snippet("Kennedy's speech was about speeches", ['kennedy', 'speech']))).toEqual([
      "Kennedy's",
      'speech',
      'speeches'
    ]);
  });

  it('returns the whole text without ellipses when it fits', () => {
    const text = 'A short note about cats.';
    const parts = snippet(text, ['cats']);
    expect(joined(parts)).toBe(text);
    expect(parts.some((p) => p.text === '…')).toBe(false);
  });

  it('cuts long text around the first match with ellipses on both sides', () => {
    const text = `${'lorem '.repeat(40)}the needle is here ${'ipsum '.repeat(40)}`;
    const parts = snippet(text, ['needle'], 30);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.at(-1)).toEqual({ text: '…', match: false });
    expect(marked(parts)).toEqual(['needle']);
    const inner = joined(parts.slice(1, -1));
    expect(inner.length).toBe(60);
    expect(text).toContain(inner);
    expect(inner.indexOf('needle')).toBe(30);
  });

  it('adds only a leading ellipsis when the match is near the end', () => {
    const text = `${'word '.repeat(50)}final match`;
    const parts = snippet(text, ['match'], 20);
    expect(parts[0]?.text).toBe('…');
    expect(parts.at(-1)).toEqual({ text: 'match', match: true });
  });

  it('adds only a trailing ellipsis when the match is at the start', () => {
    const parts = snippet(`match ${'word '.repeat(50)}`, ['match'], 20);
    expect(parts[0]).toEqual({ text: 'match', match: true });
    expect(parts.at(-1)?.text).toBe('…');
  });

  it('returns text parts, never HTML: markup in the text stays literal and none is added', () => {
    const text = 'Use <b>cat</b> & <script>alert("cat")</script> here';
    const parts = snippet(text, ['cat']);
    expect(joined(parts)).toBe(text);
    expect(marked(parts)).toEqual(['cat', 'cat']);
    for (const part of parts) {
      expect(Object.keys(part).sort()).toEqual(['match', 'text']);
      expect(typeof part.text).toBe('string');
      expect(part.text).not.toMatch(/<mark|&lt;|&amp;/);
    }
  });

  it('treats regular-expression characters in terms literally', () => {
    expect(marked(snippet('axb a.b', ['a.b']))).toEqual(['a.b']);
    expect(marked(snippet('x+ xx (y) y', ['x+', '(y)']))).toEqual(['x+', '(y)']);
    expect(() => snippet('text', ['(', '[', '\\'])).not.toThrow();
  });

  it('highlights unicode words', () => {
    expect(marked(snippet('Привет, мир! Über alles.', ['мир', 'über']))).toEqual(['мир', 'Über']);
    expect(marked(snippet('नमस्ते दुनिया', ['दुनिया']))).toEqual(['दुनिया']);
    // "ते" ends "नमस्ते" after a virama (a combining mark): not a word start.
    expect(marked(snippet('नमस्ते', ['ते']))).toEqual([]);
  });

  it('shows the start of the text when no term matches it', () => {
    const parts = snippet('Nothing to see here', ['absent']);
    expect(joined(parts)).toBe('Nothing to see here');
    expect(marked(parts)).toEqual([]);
  });

  it('shows the start of the text, unhighlighted, without terms', () => {
    const parts = snippet('Plain text', []);
    expect(parts).toEqual([{ text: 'Plain text', match: false }]);
  });
});

describe('keywordSearch → snippet', () => {
  it('highlights exactly what a search matched', () => {
    const [hit] = keywordSearch(DOCS, 'dog cha');
    expect(hit?.id).toBe('d2');
    expect(marked(snippet(DOCS[1]!.text, hit!.terms))).toEqual(['dog', 'chased']);
  });

  it('highlights a word typed with a straight apostrophe in text with a curly one', () => {
    const docs = [{ id: 'a', text: 'I don’t know Newton’s laws' }];
    const [hit] = keywordSearch(docs, "don't newton ");
    expect(hit?.terms.sort()).toEqual(["don't", 'newton']);
    expect(marked(snippet(docs[0]!.text, hit!.terms))).toEqual(['don’t', 'Newton’s']);
  });
});
