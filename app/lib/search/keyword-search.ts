/**
 * One-shot keyword search over a list of documents (the foundation's interface, kept for callers
 * that search a small list once): builds a {@link KeywordIndex} and ranks. The capture library
 * keeps a live index instead (state/search-manager.svelte.ts).
 */
import { KeywordIndex, type KeywordParams } from './keyword-index';

/** A searchable document. */
export interface SearchDoc {
  id: string;
  text: string;
}

/** A ranked hit and the index terms (word stems) that matched. */
export interface SearchHit {
  id: string;
  score: number;
  terms: string[];
}

/** Ranks documents for a query; empty query → no hits. */
export function keywordSearch(
  docs: readonly SearchDoc[],
  query: string,
  limit = 50,
  params: Partial<KeywordParams> = {}
): SearchHit[] {
  const index = new KeywordIndex(params);
  for (const doc of docs) index.add({ id: doc.id, title: '', text: doc.text, tags: [] });
  return index.search(query, { limit }).map((hit) => ({
    id: hit.id,
    score: hit.score,
    terms: [...new Set(hit.matched.map((m) => m.term))]
  }));
}

/** A piece of a snippet; `match` parts are highlighted by the UI (rendered as text, never HTML). */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/** The part of `text` around the first matched term, split into highlighted and plain parts. */
export function snippet(text: string, terms: readonly string[], radius = 80): SnippetPart[] {
  if (terms.length === 0) return [{ text: text.slice(0, radius * 2), match: false }];
  // Marks count as word characters (Devanagari, Thai…); an apostrophe matches ' or ’.
  const alternatives = terms.map((t) =>
    t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]")
  );
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{M}\\p{N}])(${alternatives.join('|')})[\\p{L}\\p{M}\\p{N}'’]*`,
    'giu'
  );
  const first = pattern.exec(text);
  pattern.lastIndex = 0;
  const start = first ? Math.max(0, first.index - radius) : 0;
  const end = Math.min(text.length, (first?.index ?? 0) + radius);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', match: false });
  // Match in the whole text, not the window: a word cut by the window's start is not a word start.
  let last = start;
  for (const m of text.matchAll(pattern)) {
    if (m.index < start) continue;
    if (m.index >= end) break;
    const matchEnd = Math.min(end, m.index + m[0].length);
    if (m.index > last) parts.push({ text: text.slice(last, m.index), match: false });
    parts.push({ text: text.slice(m.index, matchEnd), match: true });
    last = matchEnd;
  }
  if (last < end) parts.push({ text: text.slice(last, end), match: false });
  if (end < text.length) parts.push({ text: '…', match: false });
  return parts;
}
