/**
 * The capture library's search: keyword (BM25) and meaning (cosine over passage vectors) ranked
 * together by guarded reciprocal rank fusion, with filters, the reason each result matched, and
 * "related captures". Pure and synchronous; state/search-manager.svelte.ts feeds it from
 * IndexedDB and the embedding worker.
 */
import type { CaptureSource } from '../db/records';
import { analyze } from './analyzer';
import { passes, type SearchFilters } from './filters';
import {
  reciprocalRankFusion,
  strongKeywordHits,
  strongVectorHits,
  DEFAULT_FUSION,
  type FusionParams
} from './fusion';
import {
  KeywordIndex,
  type KeywordHit,
  type KeywordParams,
  type KeywordState,
  type MatchedTerm
} from './keyword-index';
import type { VectorHit, VectorIndex } from './vector-index';

/** What the engine indexes of a capture. */
export interface SearchableCapture {
  id: string;
  title: string;
  text: string;
  tags: readonly string[];
  source: CaptureSource;
  createdAt: number;
}

/** Why a result matched. */
export type MatchReason = 'words' | 'meaning' | 'both';

/** One search result. */
export interface SearchResult {
  id: string;
  score: number;
  reason: MatchReason;
  /** Keyword side: rank (1-based), BM25 score and the matched terms. */
  keyword: { rank: number; score: number; matched: MatchedTerm[] } | null;
  /** Meaning side: rank, cosine similarity of the best passage, and that passage. */
  meaning: { rank: number; similarity: number; passageId: string } | null;
  /** Pinned by the fusion guard (a match too strong to dilute). */
  strong: boolean;
}

/** A search request. */
export interface SearchRequest {
  query: string;
  /** Unit vector of the query under the index's model; null = keyword only. */
  queryVector?: Float32Array | null;
  filters?: SearchFilters;
  limit?: number;
  /** Depth of each side's list before fusion. */
  depth?: number;
  /** The person is still typing the last word (default: no trailing space). */
  prefixLast?: boolean;
}

/** Engine tuning. */
export interface EngineParams {
  keyword?: Partial<KeywordParams>;
  fusion?: FusionParams;
  /** Weights of each side in the fusion. */
  keywordWeight?: number;
  meaningWeight?: number;
  /** Cosine at or above which a meaning match is pinned (model-specific; Infinity = never). */
  strongSimilarity?: number;
  /** Meaning matches below this similarity are dropped (noise floor). */
  minSimilarity?: number;
}

/** The engine's keyword side and filter data, for storing (see search-snapshot.ts). */
export interface EngineState {
  keyword: KeywordState;
  captures: { id: string; createdAt: number; source: CaptureSource; tags: string[] }[];
}

export class SearchEngine {
  keyword: KeywordIndex;
  vectors: VectorIndex | null = null;
  readonly #meta = new Map<string, SearchableCapture>();
  #params: Required<Omit<EngineParams, 'keyword'>>;

  constructor(params: EngineParams = {}) {
    this.keyword = new KeywordIndex(params.keyword);
    this.#params = {
      fusion: params.fusion ?? DEFAULT_FUSION,
      keywordWeight: params.keywordWeight ?? 1,
      meaningWeight: params.meaningWeight ?? 1,
      strongSimilarity: params.strongSimilarity ?? Infinity,
      minSimilarity: params.minSimilarity ?? -Infinity
    };
  }

  /** Captures indexed. */
  get size(): number {
    return this.#meta.size;
  }

  /** Keyword index and filter data as plain data. */
  exportState(): EngineState {
    return {
      keyword: this.keyword.exportState(),
      captures: [...this.#meta.values()].map(({ id, createdAt, source, tags }) => ({
        id,
        createdAt,
        source,
        tags: [...tags]
      }))
    };
  }

  /** Restores {@link exportState} output; false (and unchanged) when it does not fit. */
  importState(state: EngineState, params: Partial<KeywordParams> = {}): boolean {
    const keyword = KeywordIndex.fromState(state.keyword, params);
    if (!keyword || keyword.size !== state.captures.length) return false;
    this.keyword = keyword;
    this.#meta.clear();
    for (const c of state.captures) this.#meta.set(c.id, { ...c, title: '', text: '' });
    return true;
  }

  /** Ids of every indexed capture. */
  ids(): string[] {
    return [...this.#meta.keys()];
  }

  /** Sets the model-specific meaning thresholds (see embedding/models.ts). */
  setMeaningThresholds(strongSimilarity: number, minSimilarity: number): void {
    this.#params = { ...this.#params, strongSimilarity, minSimilarity };
  }

  /** Whether a capture is indexed. */
  has(id: string): boolean {
    return this.#meta.has(id);
  }

  /** Adds or replaces a capture (its words; vectors are set on `vectors`). */
  upsert(capture: SearchableCapture): void {
    this.#meta.set(capture.id, {
      id: capture.id,
      title: '',
      text: '',
      tags: [...capture.tags],
      source: capture.source,
      createdAt: capture.createdAt
    });
    this.keyword.add(capture);
  }

  /** Removes a capture and its vectors. */
  remove(id: string): void {
    this.#meta.delete(id);
    this.keyword.remove(id);
    this.vectors?.removeCapture(id);
  }

  /** Every tag in use, most used first. */
  tags(): { tag: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const c of this.#meta.values())
      for (const tag of c.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    return [...counts]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  }

  /** Runs a search (synchronously: fine for keyword-only or a few thousand passages). */
  search(request: SearchRequest): SearchResult[] {
    const { keywordHits, accept, depth } = this.#keywordSide(request);
    const vector = request.queryVector && this.vectors ? request.queryVector : null;
    const vectorHits = vector ? this.vectors!.search(vector, depth, accept) : [];
    return this.#fuse(request, keywordHits, vectorHits);
  }

  /**
   * The same search with the vector scan split into slices, awaiting `pause` between them, so a
   * large library never blocks the page for one long task while the person types.
   */
  async searchSliced(request: SearchRequest, pause: () => Promise<void>): Promise<SearchResult[]> {
    const { keywordHits, accept, depth } = this.#keywordSide(request);
    const vector = request.queryVector && this.vectors ? request.queryVector : null;
    const vectorHits = vector ? await this.vectors!.searchSliced(vector, depth, pause, accept) : [];
    return this.#fuse(request, keywordHits, vectorHits);
  }

  #keywordSide(request: SearchRequest) {
    const limit = request.limit ?? 50;
    const depth = Math.max(limit, request.depth ?? 100);
    const filters = request.filters ?? {};
    const accept = (id: string) => {
      const meta = this.#meta.get(id);
      return meta !== undefined && passes(meta, filters);
    };
    const keywordHits = this.keyword.search(request.query, {
      limit: depth,
      accept,
      prefixLast: request.prefixLast
    });
    return { keywordHits, accept, depth };
  }

  #fuse(
    request: SearchRequest,
    keywordHits: KeywordHit[],
    allVectorHits: VectorHit[]
  ): SearchResult[] {
    const limit = request.limit ?? 50;
    const vectorHits = allVectorHits.filter((h) => h.similarity >= this.#params.minSimilarity);
    const queryWords = new Set(analyze(request.query));
    const strongWords = strongKeywordHits(
      keywordHits.map((h) => ({
        id: h.id,
        score: h.score,
        exactAll:
          queryWords.size > 0 &&
          [...queryWords].every((t) => h.matched.some((m) => m.term === t && m.kind === 'exact'))
      }))
    );
    const fused = reciprocalRankFusion(
      [
        {
          name: 'keyword',
          ids: keywordHits.map((h) => h.id),
          weight: this.#params.keywordWeight,
          strong: strongWords
        },
        {
          name: 'meaning',
          ids: vectorHits.map((h) => h.captureId),
          weight: this.#params.meaningWeight,
          strong: strongVectorHits(
            vectorHits.map((h) => ({ id: h.captureId, similarity: h.similarity })),
            this.#params.strongSimilarity
          )
        }
      ],
      this.#params.fusion
    );
    const keywordById = new Map(keywordHits.map((h, i) => [h.id, { hit: h, rank: i + 1 }]));
    const vectorById = new Map(vectorHits.map((h, i) => [h.captureId, { hit: h, rank: i + 1 }]));
    return fused.slice(0, limit).map((item) => {
      const k = keywordById.get(item.id);
      const v = vectorById.get(item.id);
      return {
        id: item.id,
        score: item.score,
        reason: k && v ? 'both' : k ? 'words' : 'meaning',
        keyword: k ? { rank: k.rank, score: k.hit.score, matched: k.hit.matched } : null,
        meaning: v
          ? { rank: v.rank, similarity: v.hit.similarity, passageId: v.hit.passageId }
          : null,
        strong: item.strong
      };
    });
  }

  /** Captures matching only the filters (no query), newest first. */
  filtered(filters: SearchFilters, limit = 200): string[] {
    return [...this.#meta.values()]
      .filter((c) => passes(c, filters))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit)
      .map((c) => c.id);
  }

  /**
   * Captures related to one capture: by meaning (its passages' vectors as queries) when vectors
   * exist, else by its most distinctive words. Never the capture itself.
   */
  related(capture: SearchableCapture, limit = 5): SearchResult[] {
    const index = this.vectors;
    if (!index?.hasCapture(capture.id)) return this.#relatedByWords(capture, limit);
    const accept = this.#relatedAccept(capture);
    const lists = index.passagesOf(capture.id).map((passageId) => {
      const vector = index.vectorOf(passageId);
      return vector ? index.search(vector, limit, accept) : [];
    });
    return mergeRelated(lists, limit);
  }

  /**
   * {@link related} with each vector scan sliced (awaiting `pause` between slices): one scan per
   * passage of the capture over every vector is too long for one task in a large library.
   */
  async relatedSliced(
    capture: SearchableCapture,
    pause: () => Promise<void>,
    limit = 5
  ): Promise<SearchResult[]> {
    const index = this.vectors;
    if (!index?.hasCapture(capture.id)) return this.#relatedByWords(capture, limit);
    const accept = this.#relatedAccept(capture);
    const lists: VectorHit[][] = [];
    for (const passageId of index.passagesOf(capture.id)) {
      const vector = index.vectorOf(passageId);
      if (vector) lists.push(await index.searchSliced(vector, limit, pause, accept));
    }
    return mergeRelated(lists, limit);
  }

  #relatedAccept(capture: SearchableCapture): (id: string) => boolean {
    return (id) => id !== capture.id && this.#meta.has(id);
  }

  #relatedByWords(capture: SearchableCapture, limit: number): SearchResult[] {
    const terms = [
      ...new Set(analyze(`${capture.title} ${capture.text} ${capture.tags.join(' ')}`))
    ]
      // A word only this capture has says nothing about which others are related.
      .filter((term) => this.keyword.docFrequency(term) >= 2)
      .map((term) => ({ term, idf: this.keyword.idf(term) }))
      .sort((a, b) => b.idf - a.idf)
      .slice(0, 25)
      .map((t) => t.term);
    const accept = this.#relatedAccept(capture);
    return this.keyword.searchTerms(terms, { limit, accept }).map((hit, i) => ({
      id: hit.id,
      score: hit.score,
      reason: 'words' as const,
      keyword: { rank: i + 1, score: hit.score, matched: hit.matched },
      meaning: null,
      strong: false
    }));
  }
}

/** Each capture's best hit over several passages' vector searches, best first. */
function mergeRelated(lists: readonly VectorHit[][], limit: number): SearchResult[] {
  const best = new Map<string, { similarity: number; passageId: string }>();
  for (const hits of lists)
    for (const hit of hits) {
      const prev = best.get(hit.captureId);
      if (!prev || hit.similarity > prev.similarity) best.set(hit.captureId, hit);
    }
  return [...best]
    .sort((a, b) => b[1].similarity - a[1].similarity)
    .slice(0, limit)
    .map(([id, hit], i) => ({
      id,
      score: hit.similarity,
      reason: 'meaning' as const,
      keyword: null,
      meaning: { rank: i + 1, similarity: hit.similarity, passageId: hit.passageId },
      strong: false
    }));
}
