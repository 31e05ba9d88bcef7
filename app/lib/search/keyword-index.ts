/**
 * An incremental BM25 index over captures (title, transcript, tags), built for as-you-type search:
 * postings per term, exact document frequencies under add/remove, the word being typed matched as
 * a prefix and finished words matched with light typo tolerance.
 *
 * Fields are combined BM25F-style: a title word counts `titleWeight` times and a tag
 * `tagWeight` times in the term frequency; the length is the plain word count. The defaults were
 * tuned on the SciFact train split (scripts/eval-search.ts).
 */
import { fold, isStopWord, termOf, words } from './analyzer';
import { tokenize } from './tokenize';
import { TopK } from './top-k';
import { Vocabulary, maxTypos } from './vocabulary';

/** The text of one indexed document. */
export interface KeywordDoc {
  id: string;
  title: string;
  text: string;
  tags: readonly string[];
}

/** Ranking parameters. */
export interface KeywordParams {
  k1: number;
  b: number;
  /** Whole-number weights (term frequencies stay integers). */
  titleWeight: number;
  tagWeight: number;
  /** Weight of a word the typed prefix expands to, relative to an exact match. */
  prefixWeight: number;
  /** Weight of a typo-corrected word. */
  typoWeight: number;
  /** At most this many expansions per prefix or typo. */
  maxExpansions: number;
}

/** The best of the `npm run eval:search -- --tune` grid on the SciFact train split. */
export const DEFAULT_KEYWORD_PARAMS: KeywordParams = {
  k1: 1.2,
  b: 0.5,
  titleWeight: 4,
  tagWeight: 2,
  prefixWeight: 0.85,
  typoWeight: 0.6,
  maxExpansions: 32
};

/**
 * The whole index as a few flat arrays, cheap to store in IndexedDB and to read back: restoring
 * it is much faster than re-analysing every capture at start.
 */
export interface KeywordState {
  params: KeywordParams;
  terms: string[];
  ids: string[];
  lengths: Int32Array;
  /** Postings of term t: entries postOffsets[t] … postOffsets[t + 1] of postDocs / postTfs. */
  postOffsets: Int32Array;
  postDocs: Int32Array;
  postTfs: Int32Array;
  vocabulary: { words: string[]; terms: string[]; counts: Int32Array };
}

/** How a query word matched. */
export type MatchKind = 'exact' | 'prefix' | 'typo';

/** One query word's part in a hit: the index terms it matched in the document. */
export interface MatchedTerm {
  term: string;
  kind: MatchKind;
}

/** A ranked document. */
export interface KeywordHit {
  id: string;
  score: number;
  matched: MatchedTerm[];
}

/** Options of one search. */
export interface KeywordSearchOptions {
  limit?: number;
  /** Treat the last word as a prefix (the person is still typing it). Default: no trailing space. */
  prefixLast?: boolean;
  /** Only documents this accepts are returned. */
  accept?: (id: string) => boolean;
}

interface Expansion {
  termId: number;
  term: string;
  weight: number;
  kind: MatchKind;
}

export class KeywordIndex {
  readonly params: KeywordParams;
  readonly vocabulary = new Vocabulary();
  readonly #termIds = new Map<string, number>();
  readonly #terms: string[] = [];
  // Plain arrays grow as documents are added; postings restored from a snapshot stay typed-array
  // views until a term gets a new document (restoring 10k captures then costs no copying).
  readonly #postDocs: (number[] | Int32Array)[] = [];
  readonly #postTfs: (number[] | Int32Array)[] = [];
  readonly #df: number[] = [];
  readonly #slotOf = new Map<string, number>();
  readonly #ids: string[] = [];
  readonly #alive: boolean[] = [];
  readonly #length: number[] = [];
  /** Term ids of each live document; null once removed, undefined when restored from a snapshot. */
  readonly #slotTerms: (Int32Array | null | undefined)[] = [];
  readonly #slotWords: (string[] | null)[] = [];
  #totalLength = 0;
  #dead = 0;
  #scores = new Float64Array(0);
  // k1 · (1 − b + b · |d| / avgdl) per document, recomputed only when a document comes or goes.
  #norm = new Float64Array(0);
  #normKey = '';
  #group = new Float64Array(0);

  constructor(params: Partial<KeywordParams> = {}) {
    this.params = { ...DEFAULT_KEYWORD_PARAMS, ...params };
  }

  /** Documents in the index. */
  get size(): number {
    return this.#slotOf.size;
  }

  /** Whether a document is indexed. */
  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  /** Adds a document, replacing an earlier version with the same id. */
  add(doc: KeywordDoc): void {
    this.remove(doc.id);
    const slot = this.#ids.length;
    const tf = new Map<number, number>();
    const seenWords = new Set<string>();
    let length = 0;
    const count = (text: string, weight: number) => {
      // Count raw tokens first: folding, stemming and the vocabulary then run once per distinct
      // word instead of once per occurrence (3–4× faster on long transcripts).
      const raw = new Map<string, number>();
      for (const token of tokenize(text)) raw.set(token, (raw.get(token) ?? 0) + 1);
      for (const [token, occurrences] of raw) {
        const word = fold(token);
        if (isStopWord(word)) continue;
        const term = termOf(word);
        let id = this.#termIds.get(term);
        if (id === undefined) {
          id = this.#terms.length;
          this.#termIds.set(term, id);
          this.#terms.push(term);
          this.#postDocs.push([]);
          this.#postTfs.push([]);
          this.#df.push(0);
        }
        tf.set(id, (tf.get(id) ?? 0) + weight * occurrences);
        length += occurrences;
        if (!seenWords.has(word)) {
          seenWords.add(word);
          this.vocabulary.add(word, term);
        }
      }
    };
    count(doc.title, this.params.titleWeight);
    count(doc.text, 1);
    for (const tag of doc.tags) count(tag, this.params.tagWeight);
    for (const [id, n] of tf) {
      this.#growable(id).docs.push(slot);
      this.#growable(id).tfs.push(n);
      this.#df[id]!++;
    }
    this.#ids.push(doc.id);
    this.#alive.push(true);
    this.#length.push(length);
    this.#slotTerms.push(Int32Array.from(tf.keys()));
    this.#slotWords.push([...seenWords]);
    this.#slotOf.set(doc.id, slot);
    this.#totalLength += length;
  }

  /** Removes a document (no-op when absent). */
  remove(id: string): void {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return;
    this.#slotOf.delete(id);
    this.#alive[slot] = false;
    this.#totalLength -= this.#length[slot]!;
    for (const termId of this.#slotTerms[slot] ?? this.#termsOfSlot(slot)) this.#df[termId]!--;
    for (const word of this.#slotWords[slot]!) this.vocabulary.remove(word);
    this.#slotTerms[slot] = null;
    this.#slotWords[slot] = null;
    this.#dead++;
    if (this.#dead > 1000 && this.#dead > this.#ids.length / 4) this.#compact();
  }

  /** The index as flat arrays (removed documents dropped first). */
  exportState(): KeywordState {
    if (this.#dead > 0) this.#compact();
    const offsets = new Int32Array(this.#terms.length + 1);
    for (let t = 0; t < this.#terms.length; t++)
      offsets[t + 1] = offsets[t]! + this.#postDocs[t]!.length;
    const total = offsets[this.#terms.length]!;
    const postDocs = new Int32Array(total);
    const postTfs = new Int32Array(total);
    for (let t = 0; t < this.#terms.length; t++) {
      postDocs.set(this.#postDocs[t]!, offsets[t]);
      postTfs.set(this.#postTfs[t]!, offsets[t]);
    }
    return {
      params: this.params,
      terms: [...this.#terms],
      ids: [...this.#ids],
      lengths: Int32Array.from(this.#length),
      postOffsets: offsets,
      postDocs,
      postTfs,
      vocabulary: this.vocabulary.exportEntries()
    };
  }

  /** An index restored from {@link exportState}; null when it was made with other parameters. */
  static fromState(state: KeywordState, params: Partial<KeywordParams> = {}): KeywordIndex | null {
    const index = new KeywordIndex(params);
    if (JSON.stringify(index.params) !== JSON.stringify(state.params)) return null;
    state.terms.forEach((term, t) => {
      const from = state.postOffsets[t]!;
      const to = state.postOffsets[t + 1]!;
      index.#termIds.set(term, t);
      index.#terms.push(term);
      index.#postDocs.push(state.postDocs.subarray(from, to));
      index.#postTfs.push(state.postTfs.subarray(from, to));
      index.#df.push(to - from);
    });
    state.ids.forEach((id, slot) => {
      index.#ids.push(id);
      index.#slotOf.set(id, slot);
      index.#alive.push(true);
      const length = state.lengths[slot]!;
      index.#length.push(length);
      index.#totalLength += length;
      index.#slotTerms.push(undefined);
      // The words of restored documents are not kept; their vocabulary counts then never drop,
      // which only leaves harmless stale words (expansions check that a term still has documents).
      index.#slotWords.push([]);
    });
    index.vocabulary.importEntries(state.vocabulary);
    return index;
  }

  /** Ranks documents for a query. Empty or stop-word-only queries return nothing. */
  search(query: string, options: KeywordSearchOptions = {}): KeywordHit[] {
    return this.#score(this.#expand(query, options.prefixLast ?? !/\s$/.test(query)), options);
  }

  /**
   * Ranks documents for index terms given directly ("more like this": the most distinctive terms
   * of one capture). Unknown terms are ignored.
   */
  searchTerms(terms: readonly string[], options: KeywordSearchOptions = {}): KeywordHit[] {
    const groups = new Map<string, { expansions: Expansion[]; count: number }>();
    for (const term of terms) {
      const termId = this.#termIds.get(term);
      if (termId === undefined || (this.#df[termId] ?? 0) <= 0) continue;
      const group = groups.get(term);
      if (group) group.count++;
      else groups.set(term, { expansions: [{ termId, term, weight: 1, kind: 'exact' }], count: 1 });
    }
    return this.#score([...groups.values()], options);
  }

  /** How many documents contain an index term. */
  docFrequency(term: string): number {
    const termId = this.#termIds.get(term);
    return termId === undefined ? 0 : (this.#df[termId] ?? 0);
  }

  /** The inverse document frequency of an index term (0 when absent). */
  idf(term: string): number {
    const termId = this.#termIds.get(term);
    const df = termId === undefined ? 0 : (this.#df[termId] ?? 0);
    if (df <= 0) return 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  #score(
    groups: { expansions: Expansion[]; count: number }[],
    options: KeywordSearchOptions
  ): KeywordHit[] {
    if (groups.length === 0 || this.size === 0) return [];
    this.#ensureScratch();
    const { k1, b } = this.params;
    const n = this.size;
    const avg = this.#totalLength / n || 1;
    const norm = this.#lengthNorms(k1, b, avg);
    const scores = this.#scores;
    const group = this.#group;
    const touched: number[] = [];
    for (const { expansions, count } of groups) {
      const single = expansions.length === 1;
      const groupTouched: number[] = [];
      for (const e of expansions) {
        const df = this.#df[e.termId]!;
        if (df <= 0) continue;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * e.weight * count;
        const docs = this.#postDocs[e.termId]!;
        const tfs = this.#postTfs[e.termId]!;
        for (let i = 0; i < docs.length; i++) {
          const slot = docs[i]!;
          if (!this.#alive[slot]) continue;
          const tf = tfs[i]!;
          const s = (idf * tf * (k1 + 1)) / (tf + norm[slot]!);
          if (single) {
            if (scores[slot] === 0) touched.push(slot);
            scores[slot] = scores[slot]! + s;
          } else if (s > group[slot]!) {
            if (group[slot] === 0) groupTouched.push(slot);
            group[slot] = s;
          }
        }
      }
      for (const slot of groupTouched) {
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = scores[slot]! + group[slot]!;
        group[slot] = 0;
      }
    }
    const heap = new TopK<number>(options.limit ?? 50);
    for (const slot of touched) {
      const s = scores[slot]!;
      scores[slot] = 0;
      if (s > heap.threshold && (!options.accept || options.accept(this.#ids[slot]!)))
        heap.push(slot, s);
    }
    return heap.sorted().map(({ item: slot, score }) => ({
      id: this.#ids[slot]!,
      score,
      matched: this.#matched(slot, groups)
    }));
  }

  /** Query words → groups of index terms (one group per word; several when expanded). */
  #expand(query: string, prefixLast: boolean): { expansions: Expansion[]; count: number }[] {
    const queryWords = words(query);
    const groups = new Map<string, { expansions: Expansion[]; count: number }>();
    queryWords.forEach((word, i) => {
      const typing = prefixLast && i === queryWords.length - 1;
      if (isStopWord(word) && !typing) return;
      const key = typing ? `${word}*` : termOf(word);
      const existing = groups.get(key);
      if (existing) {
        existing.count++;
        return;
      }
      const expansions = this.#expansionsOf(word, typing);
      if (expansions.length > 0) groups.set(key, { expansions, count: 1 });
    });
    return [...groups.values()];
  }

  #expansionsOf(word: string, typing: boolean): Expansion[] {
    const { prefixWeight, typoWeight, maxExpansions } = this.params;
    const out = new Map<number, Expansion>();
    const offer = (term: string, weight: number, kind: MatchKind) => {
      const termId = this.#termIds.get(term);
      if (termId === undefined || (this.#df[termId] ?? 0) <= 0) return;
      const prev = out.get(termId);
      if (!prev || prev.weight < weight) out.set(termId, { termId, term, weight, kind });
    };
    if (!isStopWord(word)) offer(termOf(word), 1, 'exact');
    if (typing) {
      for (const m of this.vocabulary.withPrefix(word, maxExpansions))
        offer(m.term, m.word === word ? 1 : prefixWeight, m.word === word ? 'exact' : 'prefix');
    }
    // Only words the captures do not contain are corrected: a real word is never "fixed".
    if (out.size === 0 && maxTypos(word) > 0) {
      for (const m of this.vocabulary.similar(word, maxExpansions))
        offer(m.term, typoWeight, 'typo');
    }
    return [...out.values()];
  }

  #matched(slot: number, groups: { expansions: Expansion[] }[]): MatchedTerm[] {
    const out: MatchedTerm[] = [];
    for (const { expansions } of groups) {
      for (const e of expansions) {
        if (binarySearch(this.#postDocs[e.termId]!, slot)) out.push({ term: e.term, kind: e.kind });
      }
    }
    return out;
  }

  #growable(termId: number): { docs: number[]; tfs: number[] } {
    let docs = this.#postDocs[termId]!;
    let tfs = this.#postTfs[termId]!;
    if (!Array.isArray(docs)) this.#postDocs[termId] = docs = Array.from(docs);
    if (!Array.isArray(tfs)) this.#postTfs[termId] = tfs = Array.from(tfs);
    return { docs, tfs };
  }

  // Terms of a restored document (not kept per document): one binary search per term.
  #termsOfSlot(slot: number): number[] {
    const out: number[] = [];
    for (let t = 0; t < this.#postDocs.length; t++)
      if (binarySearch(this.#postDocs[t]!, slot)) out.push(t);
    return out;
  }

  #lengthNorms(k1: number, b: number, avg: number): Float64Array {
    const key = `${this.#ids.length}:${this.#totalLength}:${k1}:${b}`;
    if (key === this.#normKey && this.#norm.length >= this.#ids.length) return this.#norm;
    if (this.#norm.length < this.#ids.length) this.#norm = new Float64Array(this.#scores.length);
    for (let slot = 0; slot < this.#ids.length; slot++)
      this.#norm[slot] = k1 * (1 - b + (b * this.#length[slot]!) / avg);
    this.#normKey = key;
    return this.#norm;
  }

  #ensureScratch(): void {
    if (this.#scores.length >= this.#ids.length) return;
    const size = Math.max(1024, this.#ids.length * 2);
    this.#scores = new Float64Array(size);
    this.#group = new Float64Array(size);
  }

  // Drops dead documents from the postings; slots are renumbered in order, so lists stay sorted.
  #compact(): void {
    const remap = new Int32Array(this.#ids.length).fill(-1);
    let next = 0;
    for (let slot = 0; slot < this.#ids.length; slot++) if (this.#alive[slot]) remap[slot] = next++;
    for (let t = 0; t < this.#postDocs.length; t++) {
      const { docs, tfs } = this.#growable(t);
      let w = 0;
      for (let i = 0; i < docs.length; i++) {
        const to = remap[docs[i]!]!;
        if (to < 0) continue;
        docs[w] = to;
        tfs[w] = tfs[i]!;
        w++;
      }
      docs.length = w;
      tfs.length = w;
    }
    const keep = <T>(list: T[]) => {
      let w = 0;
      for (let slot = 0; slot < list.length; slot++) if (remap[slot]! >= 0) list[w++] = list[slot]!;
      list.length = w;
    };
    keep(this.#ids);
    keep(this.#length);
    keep(this.#slotTerms);
    keep(this.#slotWords);
    this.#alive.length = 0;
    for (let i = 0; i < this.#ids.length; i++) this.#alive.push(true);
    this.#slotOf.clear();
    this.#ids.forEach((id, slot) => this.#slotOf.set(id, slot));
    this.#dead = 0;
  }
}

function binarySearch(sorted: ArrayLike<number>, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
