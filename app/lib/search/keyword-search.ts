/**
 * A first keyword search over captures: BM25 over title and transcript, with the last query word
 * matched as a prefix so results appear while typing. The capture-library issue replaces this with
 * a benchmarked index; the interface (documents in, ranked ids with matched terms out) stays.
 */
import { tokenize } from './tokenize';

/** A searchable document. */
export interface SearchDoc {
  id: string;
  text: string;
}

/** A ranked hit and the document terms that matched. */
export interface SearchHit {
  id: string;
  score: number;
  terms: string[];
}

const K1 = 1.2;
const B = 0.75;

/** Ranks documents for a query; empty query → no hits. */
export function keywordSearch(docs: readonly SearchDoc[], query: string, limit = 50): SearchHit[] {
  const queryTerms = tokenize(query);
  if (queryTerms.length === 0) return [];
  const prefixLast = !/\s$/.test(query);
  const tokenized = docs.map((d) => tokenize(d.text));
  const avgLength = tokenized.reduce((n, t) => n + t.length, 0) / Math.max(1, docs.length);

  // Expand each query term to the document terms it matches (itself, or prefixes for the last).
  const vocabulary = new Set(tokenized.flat());
  const expansions = queryTerms.map((term, i) => {
    if (!(prefixLast && i === queryTerms.length - 1)) return vocabulary.has(term) ? [term] : [];
    return [...vocabulary].filter((v) => v.startsWith(term));
  });
  const docFreq = new Map<string, number>();
  for (const tokens of tokenized) {
    for (const t of new Set(tokens)) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
  }

  const hits: SearchHit[] = [];
  tokenized.forEach((tokens, index) => {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    let score = 0;
    const matched = new Set<string>();
    for (const options of expansions) {
      let best = 0;
      for (const term of options) {
        const tf = counts.get(term) ?? 0;
        if (tf === 0) continue;
        const df = docFreq.get(term) ?? 0;
        const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
        const s =
          (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * tokens.length) / (avgLength || 1)));
        if (s > 0) matched.add(term);
        best = Math.max(best, s);
      }
      score += best;
    }
    const doc = docs[index];
    if (score > 0 && doc) hits.push({ id: doc.id, score, terms: [...matched] });
  });
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
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
