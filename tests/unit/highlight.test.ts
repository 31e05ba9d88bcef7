import { describe, expect, it } from 'vitest';
import { analyze } from '$lib/search/analyzer';
import { highlight, matchSpans } from '$lib/search/highlight';
import type { SnippetPart } from '$lib/search/keyword-search';

const marked = (parts: SnippetPart[]) => parts.filter((p) => p.match).map((p) => p.text);
const joined = (parts: SnippetPart[]) => parts.map((p) => p.text).join('');
const terms = (query: string) => new Set(analyze(query));

describe('highlight', () => {
  it('highlights every form of a matched word, whatever its case', () => {
    const parts = highlight('Studies show the student studied; a study.', terms('study'));
    expect(marked(parts)).toEqual(['Studies', 'studied', 'study']);
    expect(joined(parts)).toBe('Studies show the student studied; a study.');
  });

  it('matches accented text typed without accents, and possessives', () => {
    expect(marked(highlight("Le Café de Kennedy's", terms('cafe kennedy')))).toEqual([
      'Café',
      "Kennedy's"
    ]);
  });

  it('never highlights inside a word', () => {
    expect(marked(highlight('concatenate the cat', terms('cat')))).toEqual(['cat']);
  });

  it('shows the window with the most matches, cut at word boundaries with ellipses', () => {
    const text = `${'filler words here '.repeat(20)}one needle. ${'more filler text '.repeat(10)}needle and needle again ${'tail words '.repeat(30)}`;
    const parts = highlight(text, terms('needle'), 80);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.at(-1)).toEqual({ text: '…', match: false });
    expect(marked(parts)).toEqual(['needle', 'needle']);
    const inner = joined(parts.slice(1, -1));
    expect(text).toContain(inner);
    expect(inner.startsWith(' ')).toBe(false);
  });

  it('shows the start of the text, unhighlighted, when nothing matches', () => {
    expect(highlight('Nothing here', terms('absent'))).toEqual([
      { text: 'Nothing here', match: false }
    ]);
  });

  it('returns text, never markup', () => {
    const text = 'Use <b>cat</b> & <script>alert("cat")</script>';
    const parts = highlight(text, terms('cat'));
    expect(joined(parts)).toBe(text);
    expect(marked(parts)).toEqual(['cat', 'cat']);
  });

  it('reports match positions', () => {
    expect(matchSpans('a cat, cats', terms('cat'))).toEqual([
      { start: 2, end: 5 },
      { start: 7, end: 11 }
    ]);
  });
});
