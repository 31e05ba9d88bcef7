/**
 * Turns text into index terms: words (tokenize.ts), Latin accents folded (café = cafe), English
 * stop words dropped, and Porter stems (studies, studied → studi), so a capture is found by any
 * form of its words. Stems are cached: a vocabulary is far smaller than the text it comes from.
 */
import { stemmer } from 'stemmer';
import { STOP_WORDS } from './stopwords';
import { tokenize } from './tokenize';

const LATIN = /^[\p{Script=Latin}\p{M}\p{N}']+$/u;
const ASCII_WORD = /^[a-z]+$/;
// Any character outside ASCII needs the slower Latin check and accent folding.
const NON_ASCII = /[^ -~]/;
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/** A word as typed or spoken, folded for matching: Latin accents removed (Über → uber). */
export function fold(word: string): string {
  if (!NON_ASCII.test(word) || !LATIN.test(word)) return word;
  return word.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** Whether a folded word is left out of the index. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** The index term of one folded word (its stem for plain English words, else itself). */
export function termOf(word: string): string {
  let term = stemCache.get(word);
  if (term !== undefined) return term;
  // Porter rules only make sense for English words; other scripts and mixed tokens stay whole.
  term = ASCII_WORD.test(word) && word.length > 2 ? stemmer(word) : word;
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, term);
  return term;
}

/** The folded words of a text, stop words included (for highlighting and the vocabulary). */
export function words(text: string): string[] {
  return tokenize(text).map(fold);
}

/** The index terms of a text, in order, stop words removed. */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) if (!STOP_WORDS.has(word)) out.push(termOf(word));
  return out;
}
