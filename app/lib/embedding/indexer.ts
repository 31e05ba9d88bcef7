/**
 * Background indexing for meaning search, resumable by construction: all progress is in the
 * database (passages, and which passages have a vector under which model), so after a reload or
 * crash the next run simply picks up what is still missing. Changing the model makes every
 * passage "missing" under the new id; the old model's vectors are dropped only once the new set
 * is complete, so meaning search keeps working meanwhile.
 */
import type { EmbeddingRecord, LvaDatabase } from '../db/database';
import type { CaptureId } from '../db/ids';
import {
  dropOrphans,
  dropOtherModels,
  passagesMissing,
  passagesOf,
  replacePassages,
  saveEmbeddings
} from '../db/passages-repo';
import { getSetting, setSetting } from '../db/settings-repo';
import { quantize } from '../search/vector-index';
import { samePassages, splitPassages } from './passages';

const CHUNK = 100;

/** Indexing progress: passages embedded of those that needed it in this run. */
export interface IndexProgress {
  done: number;
  total: number;
}

/** Brings passages up to date with capture texts; returns the captures whose passages changed. */
export async function syncPassages(db: LvaDatabase): Promise<CaptureId[]> {
  const since = await getSetting(db, 'embedding.passagesSyncedAt', 0);
  // Keys first, records in small chunks: reading 10k transcripts at once would hold the page.
  const ids = await db.captures.where('updatedAt').aboveOrEqual(since).primaryKeys();
  const resplit: CaptureId[] = [];
  let high = since;
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const capture of await db.captures.bulkGet(ids.slice(i, i + CHUNK))) {
      if (!capture) continue;
      high = Math.max(high, capture.updatedAt);
      const drafts =
        capture.status === 'ready' ? splitPassages(capture.text, capture.segments) : [];
      const stored = await passagesOf(db, capture.id);
      if (samePassages(stored, drafts)) continue;
      await replacePassages(db, capture.id, drafts);
      resplit.push(capture.id);
    }
  }
  await dropOrphans(db);
  if (high !== since) await setSetting(db, 'embedding.passagesSyncedAt', high);
  return resplit;
}

/** What {@link embedMissing} needs. */
export interface EmbedMissingOptions {
  db: LvaDatabase;
  modelId: string;
  /** Unit vectors for texts (the embedding worker, or a pipeline in tests). */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  batchSize?: number;
  onProgress?: (progress: IndexProgress) => void;
  /** Vectors just stored (so the live search index can take them without a reload). */
  onStored?: (records: EmbeddingRecord[]) => void;
  /** Stops between batches. */
  signal?: AbortSignal;
}

/**
 * Embeds every passage without a vector under `modelId`, `batchSize` at a time, each batch stored
 * in one transaction. When everything is embedded, marks the model as indexed and drops other
 * models' vectors. Returns how many passages were embedded.
 */
export async function embedMissing(options: EmbedMissingOptions): Promise<number> {
  const { db, modelId, embed, signal } = options;
  const batchSize = options.batchSize ?? 8;
  const missing = await passagesMissing(db, modelId);
  const total = missing.length;
  let done = 0;
  options.onProgress?.({ done, total });
  for (let i = 0; i < missing.length; i += batchSize) {
    if (signal?.aborted) return done;
    const ids = missing.slice(i, i + batchSize);
    const passages = (await db.passages.bulkGet(ids)).filter((p) => p !== undefined);
    if (passages.length > 0) {
      const vectors = await embed(passages.map((p) => p.text));
      const stored = await saveEmbeddings(
        db,
        modelId,
        passages.map((p, j) => {
          const { values, scale } = quantize(vectors[j]!);
          return {
            passageId: p.id,
            captureId: p.captureId,
            vector: values,
            scale
          };
        })
      );
      options.onStored?.(stored);
    }
    done += ids.length;
    options.onProgress?.({ done, total });
  }
  if (signal?.aborted) return done;
  if ((await passagesMissing(db, modelId)).length === 0) {
    await setSetting(db, 'embedding.indexedModel', modelId);
    await dropOtherModels(db, modelId);
  }
  return done;
}
