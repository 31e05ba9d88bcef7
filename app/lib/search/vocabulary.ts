/**
 * The indexed words as typed (folded, unstemmed), for as-you-type matching: a prefix of the word
 * being typed ("photosy" → photosynthesis) and light typo tolerance for finished words
 * ("photosinthesis" → photosynthesis). Words map to their index terms.
 *
 * New words go to a small unsorted tail that is merged into the sorted list once it grows, so
 * adding a capture never re-sorts the whole vocabulary.
 */
const TAIL_LIMIT = 2048;

/** A vocabulary word and the index term it belongs to. */
export interface VocabularyMatch {
  word: string;
  term: string;
}

export class Vocabulary {
  readonly #words = new Map<string, { term: string; count: number }>();
  // Corrections of unknown words, valid until the vocabulary changes (as-you-type repeats them).
  readonly #similarMemo = new Map<string, VocabularyMatch[]>();
  #sorted: string[] = [];
  #tail: string[] = [];

  /** Distinct words currently present. */
  get size(): number {
    return this.#words.size;
  }

  /** Counts one more document containing `word`. */
  add(word: string, term: string): void {
    this.#similarMemo.clear();
    const entry = this.#words.get(word);
    if (entry) {
      entry.count++;
      return;
    }
    this.#words.set(word, { term, count: 1 });
    this.#tail.push(word);
    if (this.#tail.length > TAIL_LIMIT) this.#merge();
  }

  /** Counts one document fewer containing `word`; the word goes when none is left. */
  remove(word: string): void {
    this.#similarMemo.clear();
    const entry = this.#words.get(word);
    if (entry && --entry.count <= 0) this.#words.delete(word);
  }

  /** The term of a known word, or undefined. */
  termOf(word: string): string | undefined {
    return this.#words.get(word)?.term;
  }

  /** Every word with its term and count, sorted by word (for storing). */
  exportEntries(): { words: string[]; terms: string[]; counts: Int32Array } {
    this.#merge();
    const words = this.#sorted.filter((w) => this.#words.has(w));
    return {
      words,
      terms: words.map((w) => this.#words.get(w)!.term),
      counts: Int32Array.from(words, (w) => this.#words.get(w)!.count)
    };
  }

  /** Replaces the contents with stored entries (words sorted, as exported). */
  importEntries(entries: {
    words: readonly string[];
    terms: readonly string[];
    counts: Int32Array;
  }): void {
    this.#words.clear();
    this.#similarMemo.clear();
    entries.words.forEach((word, i) =>
      this.#words.set(word, { term: entries.terms[i]!, count: entries.counts[i]! })
    );
    this.#sorted = [...entries.words];
    this.#tail = [];
  }

  /** Words starting with `prefix` (at most `limit`, the most common first). */
  withPrefix(prefix: string, limit: number): VocabularyMatch[] {
    const found: { word: string; term: string; count: number }[] = [];
    const seen = new Set<string>();
    // A word removed then added again can sit in both the sorted list and the tail.
    const consider = (word: string) => {
      const entry = this.#words.get(word);
      if (!entry || seen.has(word) || !word.startsWith(prefix)) return;
      seen.add(word);
      found.push({ word, ...entry });
    };
    for (let i = lowerBound(this.#sorted, prefix); i < this.#sorted.length; i++) {
      const word = this.#sorted[i]!;
      if (!word.startsWith(prefix)) break;
      consider(word);
    }
    for (const word of this.#tail) consider(word);
    found.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1));
    return found.slice(0, limit).map(({ word, term }) => ({ word, term }));
  }

  /**
   * Known words within a small edit distance of `word` (1 for 4–7 letters, 2 from 8; shorter words
   * are never corrected). Candidates share the first letter, or swap the first two, which keeps
   * the scan to one slice of the sorted list.
   */
  similar(word: string, limit: number): VocabularyMatch[] {
    const max = maxTypos(word);
    if (max === 0) return [];
    const memo = this.#similarMemo.get(`${limit}:${word}`);
    if (memo) return memo;
    this.#merge();
    const found: { word: string; term: string; distance: number; count: number }[] = [];
    const starts = new Set([word[0]!, word[1]!]);
    for (const start of starts) {
      for (let i = lowerBound(this.#sorted, start); i < this.#sorted.length; i++) {
        const candidate = this.#sorted[i]!;
        if (candidate[0] !== start) break;
        if (Math.abs(candidate.length - word.length) > max) continue;
        if (start !== word[0] && candidate[1] !== word[0]) continue;
        const distance = editDistance(word, candidate, max);
        const entry = this.#words.get(candidate);
        if (distance <= max && entry) found.push({ word: candidate, distance, ...entry });
      }
    }
    found.sort((a, b) => a.distance - b.distance || b.count - a.count);
    const result = found.slice(0, limit).map(({ word: w, term }) => ({ word: w, term }));
    if (this.#similarMemo.size > 500) this.#similarMemo.clear();
    this.#similarMemo.set(`${limit}:${word}`, result);
    return result;
  }

  #merge(): void {
    if (this.#tail.length === 0) return;
    const live = this.#sorted.filter((w) => this.#words.has(w));
    const present = new Set(live);
    const added = [...new Set(this.#tail)].filter((w) => this.#words.has(w) && !present.has(w));
    added.sort();
    this.#sorted = mergeSorted(live, added);
    this.#tail = [];
  }
}

/** How many typos a finished word of this length may contain. */
export function maxTypos(word: string): number {
  return word.length < 4 ? 0 : word.length < 8 ? 1 : 2;
}

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours), stopping
 * early once it must exceed `max` (returns max + 1 then).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  // Three rolling rows in one reused buffer: this runs for thousands of candidates per query.
  if (scratch.length < 3 * (n + 1)) scratch = new Int32Array(3 * (n + 1) * 2);
  let prev2 = 0;
  let prev = n + 1;
  let cur = 2 * (n + 1);
  for (let j = 0; j <= n; j++) scratch[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    scratch[cur] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(
        scratch[prev + j]! + 1,
        scratch[cur + j - 1]! + 1,
        scratch[prev + j - 1]! + (ai === bj ? 0 : 1)
      );
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, scratch[prev2 + j - 2]! + 1);
      scratch[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(scratch[prev + n]!, max + 1);
}

let scratch = new Int32Array(64);

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
