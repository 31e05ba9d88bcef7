import { describe, expect, it } from 'vitest';
import {
  keywordSearch,
  snippet,
  type SearchDoc,
  type SnippetPart
} from '$lib/search/keyword-search';

// BM25 itself is tested against hand-computed scores in keyword-index.test.ts; this is the
// one-shot wrapper the foundation's callers use.
const DOCS: SearchDoc[] = [
  { id: 'd1', text: 'The cat sat on the mat.' },
  { id: 'd2', text: 'The dog chased the cats around the garden' },
  { id: 'd3', text: 'A bird sang' }
];

describe('keywordSearch (one-shot wrapper)', () => {
  it('ranks documents and reports the matched index terms', () => {
    const hits = keywordSearch(DOCS, 'cats ');
    expect(hits.map((h) => h.id).sort()).toEqual(['d1', 'd2']);
    expect(hits.every((h) => h.terms.join() === 'cat')).toBe(true);
  });

  it('matches the word being typed as a prefix', () => {
    expect(keywordSearch(DOCS, 'gard').map((h) => h.id)).toEqual(['d2']);
    expect(keywordSearch(DOCS, 'gard ')).toEqual([]);
  });

  it('returns nothing for empty, punctuation-only or stop-word-only queries', () => {
    expect(keywordSearch(DOCS, '')).toEqual([]);
    expect(keywordSearch(DOCS, '?!')).toEqual([]);
    expect(keywordSearch(DOCS, 'the ')).toEqual([]);
    expect(keywordSearch([], 'cat')).toEqual([]);
  });

  it('respects the limit', () => {
    expect(keywordSearch(DOCS, 'cat ', 1)).toHaveLength(1);
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
