/**
 * Snippets for search results: the window of a capture's text with the most matched words, each
 * occurrence of a matched term highlighted (any form of the word: "studies" for a search on
 * "study"). Returns text parts, never HTML; the UI renders `match` parts in <mark>.
 */
import { fold, termOf } from './analyzer';
import type { SnippetPart } from './keyword-search';

export type { SnippetPart };

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*/gu;

/** A matched word's place in the text. */
interface Span {
  start: number;
  end: number;
}

/** Where the words whose index term is in `terms` occur in `text`. */
export function matchSpans(text: string, terms: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  if (terms.size === 0) return spans;
  for (const m of text.matchAll(WORD)) {
    const word = fold(
      m[0]
        .normalize('NFKC')
        .toLowerCase()
        .replace(/\u2019/g, "'")
    ).replace(/'s$/, '');
    if (terms.has(termOf(word)) || terms.has(word))
      spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/**
 * The part of `text` (about `width` characters) with the most matches, split into highlighted
 * and plain parts, with ellipses where it was cut. Without matches: the start of the text.
 */
export function highlight(text: string, terms: ReadonlySet<string>, width = 180): SnippetPart[] {
  const spans = matchSpans(text, terms);
  let start = 0;
  if (spans.length > 0 && text.length > width) {
    // The window start (a match, less some lead-in) that covers the most matches.
    let bestCount = 0;
    let bestStart = 0;
    let j = 0;
    for (let i = 0; i < spans.length; i++) {
      while (j < spans.length && spans[j]!.end <= spans[i]!.start + width * 0.8) j++;
      if (j - i > bestCount) {
        bestCount = j - i;
        bestStart = spans[i]!.start;
      }
    }
    start = Math.max(0, bestStart - Math.round(width * 0.2));
    // Start at a word boundary so the snippet does not open mid-word.
    if (start > 0) {
      const space = text.lastIndexOf(' ', start);
      start = space >= 0 && start - space < 20 ? space + 1 : start;
    }
  }
  let end = Math.min(text.length, start + width);
  if (end < text.length) {
    const space = text.indexOf(' ', end);
    end = space >= 0 && space - end < 20 ? space : end;
  }
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', match: false });
  let last = start;
  for (const span of spans) {
    if (span.end <= start || span.start < last) continue;
    if (span.start >= end) break;
    if (span.start > last) parts.push({ text: text.slice(last, span.start), match: false });
    const spanEnd = Math.min(end, span.end);
    parts.push({ text: text.slice(span.start, spanEnd), match: true });
    last = spanEnd;
  }
  if (last < end) parts.push({ text: text.slice(last, end), match: false });
  if (end < text.length) parts.push({ text: '…', match: false });
  return parts;
}
