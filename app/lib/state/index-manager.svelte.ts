/**
 * Meaning-search indexing in the background: loads the embedding model in its worker, keeps
 * passages in step with captures and embeds what is missing, batch by batch, resuming after a
 * reload. Only one tab indexes at a time (a Web Lock); every tab can search.
 */
import { Dexie } from 'dexie';
import { getDb, type EmbeddingRecord } from '../db/database';
import { embedder } from '../embedding/embedder';
import { embedMissing, syncPassages } from '../embedding/indexer';
import { chooseMeaningModel, type MeaningChoice } from '../embedding/model-choice';
import { EMBEDDING_MODEL_OVERRIDE_KEY } from '../embedding/models';
import { modelsManager } from './models-manager.svelte';

/** Where meaning search stands. */
export type IndexStatus =
  'starting' | 'unavailable' | 'loading-model' | 'indexing' | 'ready' | 'error';

const LOCK = 'lva-embedding-indexer';

class IndexManager {
  #status = $state<IndexStatus>('starting');
  #choice = $state.raw<MeaningChoice | null>(null);
  #dims = $state(0);
  #done = $state(0);
  #total = $state(0);
  #message = $state<string | null>(null);
  #started = false;
  #indexingHere = false;
  #wake: (() => void) | null = null;
  #dirty = true;
  // Settled once start() knows: the vector size, or why meaning search is unavailable. Callers
  // may ask before start() ran (the search panel and the indexer start side by side).
  readonly #ready: Promise<number>;
  #settleReady!: { resolve: (dims: number) => void; reject: (error: Error) => void };
  readonly #listeners = new Set<(records: EmbeddingRecord[]) => void>();

  /** Current state. */
  get status(): IndexStatus {
    return this.#status;
  }
  /** The model decision (null before start). */
  get choice(): MeaningChoice | null {
    return this.#choice;
  }
  /** Progress of the current indexing run. */
  get progress(): { done: number; total: number } {
    return { done: this.#done, total: this.#total };
  }
  /** Words for the person about the state (why unavailable, what failed). */
  get message(): string | null {
    return this.#message;
  }
  /** Whether results from meaning search are from a generated, meaningless model. */
  get generated(): boolean {
    return this.#choice?.available === true && this.#choice.generated;
  }

  /** Whether this tab holds the indexing lock. */
  get indexingHere(): boolean {
    return this.#indexingHere;
  }

  constructor() {
    this.#ready = new Promise<number>((resolve, reject) => {
      this.#settleReady = { resolve, reject };
    });
    this.#ready.catch(() => undefined);
  }

  /** Calls `listener` with vectors this tab just stored. */
  onStored(listener: (records: EmbeddingRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the vector size once the model is loaded here; rejects when unavailable. */
  modelReady(): Promise<number> {
    return this.#ready;
  }

  /** Unit vectors of texts with the loaded model (search queries go first in the worker's queue). */
  async embedQuery(text: string): Promise<Float32Array> {
    await this.modelReady();
    const [vector] = await embedder().embed([text], 'query');
    if (!vector) throw new Error('The embedding worker returned no vector.');
    return vector;
  }

  /** Starts meaning search once per page: model choice, model load, then background indexing. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await modelsManager.refresh();
    const override = localStorage.getItem(EMBEDDING_MODEL_OVERRIDE_KEY);
    const choice = chooseMeaningModel(modelsManager.current, override);
    this.#choice = choice;
    if (!choice.available) {
      this.#status = 'unavailable';
      this.#message = choice.reason;
      this.#settleReady.reject(new Error(choice.reason));
      return;
    }
    this.#status = 'loading-model';
    try {
      this.#dims = (await embedder().load(choice.modelId)).dims;
      this.#settleReady.resolve(this.#dims);
    } catch (error) {
      this.#settleReady.reject(error instanceof Error ? error : new Error(String(error)));
      this.#fail(error);
      return;
    }
    Dexie.on('storagemutated', (parts) => {
      if (Object.keys(parts).some((key) => key.startsWith(`idb://${getDb().name}/captures/`))) {
        this.#dirty = true;
        this.#wake?.();
      }
    });
    this.#status = 'ready';
    // One indexing tab at a time; the others wait for the lock (and take over if that tab closes).
    if ('locks' in navigator) void navigator.locks.request(LOCK, () => this.#loop(choice.modelId));
    else void this.#loop(choice.modelId);
  }

  async #loop(modelId: string): Promise<void> {
    this.#indexingHere = true;
    for (;;) {
      if (this.#dirty) {
        this.#dirty = false;
        try {
          await this.#run(modelId);
        } catch (error) {
          this.#fail(error);
          // Try again later (storage may have been freed); never spin.
          await new Promise((r) => setTimeout(r, 30_000));
          this.#dirty = true;
          continue;
        }
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        if (this.#dirty) resolve();
      });
      this.#wake = null;
      // Let a burst of edits settle before re-splitting.
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  async #run(modelId: string): Promise<void> {
    const db = getDb();
    await syncPassages(db);
    this.#message = null;
    await embedMissing({
      db,
      modelId,
      embed: (texts) => embedder().embed(texts, 'index'),
      onProgress: ({ done, total }) => {
        this.#done = done;
        this.#total = total;
        this.#status = done < total ? 'indexing' : 'ready';
      },
      onStored: (records) => {
        for (const listener of this.#listeners) listener(records);
      }
    });
    this.#status = 'ready';
  }

  #fail(error: unknown): void {
    this.#status = 'error';
    this.#message = error instanceof Error ? error.message : String(error);
  }

  /** Vector size of the loaded model (0 before load). */
  get dims(): number {
    return this.#dims;
  }
}

/** Meaning-search indexing for the whole app. */
export const indexManager = new IndexManager();
