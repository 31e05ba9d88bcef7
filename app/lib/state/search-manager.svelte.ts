/**
 * The capture library's search as app state: a live keyword index over every capture (built in
 * slices so the page never freezes, kept in step with IndexedDB changes from any tab), meaning
 * search once its model is ready, filters, highlighted results with the reason they matched, and
 * related captures.
 */
import { Dexie } from 'dexie';
import { getDb, type CaptureRecord, type EmbeddingRecord } from '../db/database';
import type { CaptureId, PassageId } from '../db/ids';
import { shareableOnly } from '../db/privacy';
import { forEachEmbeddingPage, vectorValues } from '../db/passages-repo';
import { similarityThresholds } from '../embedding/models';
import { dayRange, hasFilters, type SearchFilters } from '../search/filters';
import { highlight, matchSpans, type SnippetPart } from '../search/highlight';
import { SearchEngine, type SearchResult } from '../search/search-engine';
import { loadSnapshot, saveSnapshot } from '../search/search-snapshot';
import { VectorIndex } from '../search/vector-index';
import { indexManager } from './index-manager.svelte';
import { loadCapturesInSlices, yieldToPage } from './search-loading';

/** A result ready to show. */
export interface ShownResult {
  capture: CaptureRecord;
  result: SearchResult | null;
  snippet: SnippetPart[];
  /** The capture's words that matched (as written in it), for "why it matched". */
  matchedWords: string[];
}

/** Distinct matched words of a text, lower-cased, at most `limit`. */
function matchedWords(text: string, terms: ReadonlySet<string>, limit = 6): string[] {
  // A plain local Set: built and read within this call, never reactive state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const words = new Set<string>();
  for (const span of matchSpans(text, terms)) {
    words.add(text.slice(span.start, span.end).toLowerCase());
    if (words.size >= limit) break;
  }
  return [...words];
}

/** The filter controls' values. */
export interface FilterInputs {
  from: string;
  to: string;
  tag: string;
  source: '' | CaptureRecord['source'];
}

const EMPTY_FILTERS: FilterInputs = { from: '', to: '', tag: '', source: '' };

class SearchManager {
  #engine = new SearchEngine();
  #query = $state('');
  #filters = $state.raw<FilterInputs>(EMPTY_FILTERS);
  #results = $state.raw<ShownResult[]>([]);
  #keywordReady = $state(false);
  #meaningReady = $state(false);
  #revision = $state(0);
  #readyAfterMs = $state<number | null>(null);
  #searchSeq = 0;
  #starting: Promise<void> | null = null;
  #watermark = 0;
  #queryVectors = new Map<string, Float32Array>();
  #vectorModel: string | null = null;

  /** The search box text. Setting it searches (keyword at once, meaning when its vector is ready). */
  get query(): string {
    return this.#query;
  }
  set query(value: string) {
    this.#query = value;
    void this.#search();
  }

  /** The filter inputs. */
  get filters(): FilterInputs {
    return this.#filters;
  }
  set filters(value: FilterInputs) {
    this.#filters = value;
    void this.#search();
  }

  /** Whether a query or a filter is active (the page shows results instead of the full list). */
  get active(): boolean {
    return this.#query.trim() !== '' || hasFilters(this.#searchFilters());
  }

  /** Current results, best first. */
  get results(): ShownResult[] {
    return this.#results;
  }

  /** Whether keyword search covers every capture. */
  get keywordReady(): boolean {
    return this.#keywordReady;
  }

  /** Whether meaning search has vectors loaded. */
  get meaningReady(): boolean {
    return this.#meaningReady;
  }

  /** Milliseconds from start until every capture is searchable by its words. */
  get readyAfterMs(): number | null {
    return this.#readyAfterMs;
  }

  // Counted once per change, not on every read (10k captures are read for each count).
  #tags = $derived.by(() => {
    void this.#revision;
    return this.#engine.tags();
  });

  /** Tags in use, most used first (changes as captures change). */
  get tags(): { tag: string; count: number }[] {
    return this.#tags;
  }

  /** Changes when captures or their vectors change (for views that depend on the whole index). */
  get revision(): number {
    return this.#revision;
  }

  /** Builds the index and starts following changes; idempotent (resolves once searchable). */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const started = performance.now();
    const db = getDb();
    Dexie.on('storagemutated', (parts) => {
      const keys = Object.keys(parts);
      if (keys.some((k) => k.startsWith(`idb://${db.name}/captures/`))) void this.#syncCaptures();
      if (keys.some((k) => k.startsWith(`idb://${db.name}/embeddings/`))) this.#vectorsChanged();
    });
    // A stored index makes the library searchable at once; changes since it are applied below.
    const snapshot = await loadSnapshot(db);
    if (snapshot && this.#engine.importState(snapshot.state)) {
      this.#watermark = snapshot.watermark;
      this.#fromSnapshot = true;
    } else {
      this.#watermark = await loadCapturesInSlices(db, (capture) => this.#engine.upsert(capture));
      this.#scheduleSnapshot(0);
    }
    this.#keywordReady = true;
    await this.#syncCaptures();
    this.#readyAfterMs = Math.round(performance.now() - started);
    indexManager.onStored((records) => this.#addVectors(records));
    void this.#startMeaning();
  }

  /** Results for one capture's "related" panel. */
  async related(capture: CaptureRecord, limit = 5): Promise<ShownResult[]> {
    void this.#revision;
    const results = await this.#engine.relatedSliced(capture, yieldToPage, limit);
    return this.#show(results.map((r) => ({ id: r.id, result: r })));
  }

  /**
   * The captures most relevant to `text` that may leave the device, for the partner's context:
   * private captures are never returned (privacy.ts), nor `exclude` (the capture being discussed).
   */
  async shareableContext(
    text: string,
    options: { limit?: number; exclude?: readonly string[] } = {}
  ): Promise<CaptureRecord[]> {
    await this.start();
    let queryVector: Float32Array | null = null;
    if (this.#meaningReady) queryVector = await indexManager.embedQuery(text).catch(() => null);
    const excluded = new Set(options.exclude ?? []);
    const results = await this.#engine.searchSliced(
      { query: `${text} `, queryVector, limit: 50 },
      yieldToPage
    );
    const captures = await getDb().captures.bulkGet(
      results.filter((r) => !excluded.has(r.id)).map((r) => r.id as CaptureId)
    );
    return shareableOnly(captures.filter((c) => c !== undefined)).slice(0, options.limit ?? 5);
  }

  /**
   * Hybrid search for `text` on this device ("what did I say about …"): private captures are
   * included, since the results are only shown here and never sent.
   */
  async lookup(text: string, limit = 8): Promise<ShownResult[]> {
    await this.start();
    let queryVector: Float32Array | null = null;
    if (this.#meaningReady) queryVector = await indexManager.embedQuery(text).catch(() => null);
    const results = await this.#engine.searchSliced(
      { query: `${text} `, queryVector, limit },
      yieldToPage
    );
    return this.#show(results.map((r) => ({ id: r.id, result: r })));
  }

  /** The shareable captures of the last `days` days, newest first (a quiz's context). */
  async recentShareable(days: number, limit = 8, now = Date.now()): Promise<CaptureRecord[]> {
    const since = now - days * 24 * 60 * 60 * 1000;
    const recent = await getDb()
      .captures.where('createdAt')
      .aboveOrEqual(since)
      .reverse()
      .sortBy('createdAt');
    return shareableOnly(recent.filter((c) => c.status === 'ready' && c.text.trim() !== '')).slice(
      0,
      limit
    );
  }

  /** Re-runs the current search (e.g. after the index changed). */
  refresh(): void {
    void this.#search();
  }

  #searchFilters(): SearchFilters {
    const f = this.#filters;
    return {
      ...dayRange(f.from, f.to),
      tags: f.tag ? [f.tag] : [],
      source: f.source === '' ? null : f.source
    };
  }

  async #search(): Promise<void> {
    const seq = ++this.#searchSeq;
    const query = this.#query;
    const filters = this.#searchFilters();
    if (!this.active) {
      this.#results = [];
      return;
    }
    if (query.trim() === '') {
      const ids = this.#engine.filtered(filters);
      const shown = await this.#show(ids.map((id) => ({ id, result: null })));
      if (seq === this.#searchSeq) this.#results = shown;
      return;
    }
    // Words first: instant. Meaning follows when the query's vector is ready.
    const keywordOnly = this.#engine.search({ query, filters, limit: 50 });
    const shown = await this.#show(keywordOnly.map((r) => ({ id: r.id, result: r })));
    if (seq !== this.#searchSeq) return;
    this.#results = shown;
    if (!this.#meaningReady) return;
    const key = query.trim().toLowerCase();
    let vector = this.#queryVectors.get(key);
    if (!vector) {
      try {
        vector = await indexManager.embedQuery(query.trim());
      } catch {
        return; // keyword results stay; the status line explains meaning search
      }
      if (this.#queryVectors.size > 200) this.#queryVectors.clear();
      this.#queryVectors.set(key, vector);
      if (seq !== this.#searchSeq) return;
    }
    const hybrid = await this.#engine.searchSliced(
      { query, filters, limit: 50, queryVector: vector },
      yieldToPage
    );
    if (seq !== this.#searchSeq) return;
    const shownHybrid = await this.#show(hybrid.map((r) => ({ id: r.id, result: r })));
    if (seq === this.#searchSeq) this.#results = shownHybrid;
  }

  async #show(
    items: readonly { id: string; result: SearchResult | null }[]
  ): Promise<ShownResult[]> {
    const db = getDb();
    const captures = await db.captures.bulkGet(items.map((item) => item.id as CaptureId));
    // A result found by meaning alone shows the passage that matched, not the capture's start.
    const passageIds = items.flatMap(({ result }) =>
      result?.meaning && !result.keyword ? [result.meaning.passageId as PassageId] : []
    );
    const passages = new Map(
      (await db.passages.bulkGet(passageIds)).flatMap((p) => (p ? [[p.id, p.text] as const] : []))
    );
    return items.flatMap(({ result }, i) => {
      const capture = captures[i];
      if (!capture) return [];
      const terms = new Set(result?.keyword?.matched.map((m) => m.term) ?? []);
      const passage =
        result?.meaning && !result.keyword
          ? passages.get(result.meaning.passageId as PassageId)
          : undefined;
      return [
        {
          capture,
          result,
          snippet: highlight(passage ?? capture.text, terms),
          matchedWords: matchedWords(
            `${capture.title}\n${capture.text}\n${capture.tags.join(' ')}`,
            terms
          )
        }
      ];
    });
  }

  // Picks up captures added, edited or deleted (in this tab or another) since the last look.
  async #syncCaptures(): Promise<void> {
    if (!this.#keywordReady) return;
    const db = getDb();
    const since = this.#watermark;
    const changed = await db.captures.where('updatedAt').aboveOrEqual(since).toArray();
    let modified = false;
    for (const capture of changed) {
      // Right after a snapshot restore, captures at exactly its watermark are already in it.
      if (this.#fromSnapshot && capture.updatedAt === since && this.#engine.has(capture.id))
        continue;
      this.#engine.upsert(capture);
      this.#watermark = Math.max(this.#watermark, capture.updatedAt);
      modified = true;
    }
    if ((await db.captures.count()) !== this.#engine.size) {
      const ids = new Set<string>(await db.captures.toCollection().primaryKeys());
      for (const id of this.#engine.ids()) if (!ids.has(id)) this.#engine.remove(id);
      modified = true;
    }
    this.#fromSnapshot = false;
    if (modified) this.#scheduleSnapshot(10_000);
    this.#revision++;
    void this.#search();
  }

  async #startMeaning(): Promise<void> {
    let dims: number;
    try {
      dims = await indexManager.modelReady();
    } catch {
      return;
    }
    const choice = indexManager.choice;
    if (!choice?.available) return;
    const { strong, floor } = similarityThresholds(choice.modelId);
    this.#engine.setMeaningThresholds(strong, floor);
    this.#vectorModel = choice.modelId;
    await this.#loadVectors(dims);
    this.#meaningReady = true;
    void this.#search();
  }

  async #loadVectors(dims: number): Promise<void> {
    const index = new VectorIndex(dims);
    await forEachEmbeddingPage(getDb(), this.#vectorModel!, async (page) => {
      for (const r of page)
        if (r.dims === dims)
          index.set(r.passageId, r.captureId, { values: vectorValues(r), scale: r.scale });
      await yieldToPage();
    });
    this.#engine.vectors = index;
  }

  #addVectors(records: EmbeddingRecord[]): void {
    const index = this.#engine.vectors;
    if (!index) return;
    for (const r of records)
      if (r.modelId === this.#vectorModel && r.dims === index.dims)
        index.set(r.passageId, r.captureId, { values: vectorValues(r), scale: r.scale });
    // Vectors arrive a batch of a few passages at a time while indexing: views that depend on
    // them (related captures re-scan every vector) are told at most once a second, not per batch.
    if (this.#vectorsRevisionTimer) return;
    this.#vectorsRevisionTimer = setTimeout(() => {
      this.#vectorsRevisionTimer = null;
      this.#revision++;
    }, 1000);
  }

  #vectorsRevisionTimer: ReturnType<typeof setTimeout> | null = null;

  #snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  #fromSnapshot = false;

  // Stores the keyword index after changes settle (a cache for the next start; see search-snapshot.ts).
  #scheduleSnapshot(delayMs: number): void {
    if (this.#snapshotTimer) clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = setTimeout(() => {
      this.#snapshotTimer = null;
      void saveSnapshot(getDb(), this.#watermark, this.#engine.exportState());
    }, delayMs);
  }

  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  // Vectors written by another tab: reload them, at most every few seconds.
  #vectorsChanged(): void {
    // The indexing tab adds its own vectors as it stores them.
    if (!this.#meaningReady || this.#reloadTimer || indexManager.indexingHere) return;
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      const dims = this.#engine.vectors?.dims;
      if (dims) void this.#loadVectors(dims);
    }, 3000);
  }
}

/** The app's capture search. */
export const searchManager = new SearchManager();
