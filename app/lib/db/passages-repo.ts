/**
 * Passages and their embeddings. Every write is one transaction over both stores, so a crash, a
 * reload or a full disk never leaves a passage with a stale vector or a vector without a passage.
 */
import { Dexie } from 'dexie';
import type { PassageDraft } from '../embedding/passages';
import type { EmbeddingRecord, LvaDatabase, PassageRecord } from './database';
import { guardWrite } from './db-lifecycle';
import { newId, type CaptureId, type PassageId } from './ids';

/** A computed vector for a passage. */
export interface ComputedEmbedding {
  passageId: PassageId;
  captureId: CaptureId;
  vector: Int8Array | Float32Array;
  scale: number;
}

/** A capture's passages, in order. */
export function passagesOf(db: LvaDatabase, captureId: CaptureId): Promise<PassageRecord[]> {
  return db.passages.where('captureId').equals(captureId).sortBy('index');
}

/**
 * Replaces a capture's passages (and drops the old passages' vectors of every model). With no
 * drafts the capture simply has no passages.
 */
export async function replacePassages(
  db: LvaDatabase,
  captureId: CaptureId,
  drafts: readonly PassageDraft[],
  now = Date.now()
): Promise<PassageRecord[]> {
  const records: PassageRecord[] = drafts.map((d) => ({
    id: newId<PassageId>(now),
    captureId,
    index: d.index,
    text: d.text,
    start: d.start,
    end: d.end
  }));
  await guardWrite(() =>
    db.transaction('rw', db.passages, db.embeddings, async () => {
      await db.passages.where('captureId').equals(captureId).delete();
      await db.embeddings.where('captureId').equals(captureId).delete();
      await db.passages.bulkAdd(records);
    })
  );
  return records;
}

/** Deletes the passages and vectors of captures that no longer exist; returns how many captures. */
export async function dropOrphans(db: LvaDatabase): Promise<number> {
  const withPassages = (await db.passages.orderBy('captureId').uniqueKeys()) as CaptureId[];
  if (withPassages.length === 0) return 0;
  const existing = new Set(await db.captures.toCollection().primaryKeys());
  const orphans = withPassages.filter((id) => !existing.has(id));
  if (orphans.length === 0) return 0;
  await guardWrite(() =>
    db.transaction('rw', db.passages, db.embeddings, async () => {
      await db.passages.where('captureId').anyOf(orphans).delete();
      await db.embeddings.where('captureId').anyOf(orphans).delete();
    })
  );
  return orphans.length;
}

/**
 * Ids of passages that have no vector under `modelId` yet, in passage id order. Read a page of
 * passages at a time: the keys of every passage and vector in one request (tens of thousands of
 * compound keys) arrive as one main-thread task of tens of milliseconds, and more as the library
 * grows.
 */
export async function passagesMissing(
  db: LvaDatabase,
  modelId: string,
  pageSize = 2000
): Promise<PassageId[]> {
  const missing: PassageId[] = [];
  let last: PassageId | null = null;
  for (;;) {
    const ids: PassageId[] = await (
      last === null ? db.passages.toCollection() : db.passages.where(':id').above(last)
    )
      .limit(pageSize)
      .primaryKeys();
    if (ids.length === 0) return missing;
    // Vectors of this page's passages (any model), by the [passageId+modelId] primary key.
    const stored = await db.embeddings
      .where('[passageId+modelId]')
      .between([ids[0]!, Dexie.minKey], [ids.at(-1)!, Dexie.maxKey], true, true)
      .primaryKeys();
    const done = new Set(stored.filter(([, model]) => model === modelId).map(([id]) => id));
    for (const id of ids) if (!done.has(id)) missing.push(id);
    if (ids.length < pageSize) return missing;
    last = ids.at(-1)!;
  }
}

/**
 * Stores vectors computed under `modelId`, skipping passages deleted (or re-split) meanwhile, all
 * in one transaction. Returns the records stored.
 */
export async function saveEmbeddings(
  db: LvaDatabase,
  modelId: string,
  computed: readonly ComputedEmbedding[],
  now = Date.now()
): Promise<EmbeddingRecord[]> {
  return guardWrite(() =>
    db.transaction('rw', db.passages, db.embeddings, async () => {
      const present = await db.passages.bulkGet(computed.map((c) => c.passageId));
      const records: EmbeddingRecord[] = [];
      computed.forEach((c, i) => {
        if (!present[i]) return;
        const values = c.vector;
        records.push({
          passageId: c.passageId,
          captureId: c.captureId,
          modelId,
          dims: values.length,
          encoding: values instanceof Int8Array ? 'i8' : 'f32',
          // A copy that owns exactly its bytes (a view may share a larger buffer).
          vector: values.slice().buffer,
          scale: c.scale,
          createdAt: now
        });
      });
      await db.embeddings.bulkPut(records);
      return records;
    })
  );
}

/** Deletes the vectors of every model but `modelId` (after a model change finished). */
export async function dropOtherModels(db: LvaDatabase, modelId: string): Promise<number> {
  return guardWrite(() => db.embeddings.where('modelId').notEqual(modelId).delete());
}

/** The stored vector of a record as a typed array. */
export function vectorValues(record: EmbeddingRecord): Int8Array | Float32Array {
  return record.encoding === 'i8' ? new Int8Array(record.vector) : new Float32Array(record.vector);
}

/**
 * Reads every vector of a model in pages of `pageSize`, handing each page to `onPage` (so a caller
 * can yield to the UI between pages instead of reading 100k records in one go).
 */
export async function forEachEmbeddingPage(
  db: LvaDatabase,
  modelId: string,
  onPage: (records: EmbeddingRecord[]) => Promise<void> | void,
  pageSize = 2000
): Promise<void> {
  let last: [PassageId, string] | null = null;
  for (;;) {
    const range = db.embeddings.where('[passageId+modelId]');
    const page: EmbeddingRecord[] = await (
      last ? range.above(last) : range.aboveOrEqual([Dexie.minKey, Dexie.minKey])
    )
      .filter((r) => r.modelId === modelId)
      .limit(pageSize)
      .toArray();
    if (page.length === 0) return;
    await onPage(page);
    const tail = page.at(-1)!;
    last = [tail.passageId, tail.modelId];
    if (page.length < pageSize) return;
  }
}
