/**
 * The main-thread side of background indexing, measured: the app's own syncPassages and
 * embedMissing over the stored captures, with the model's part replaced by the precomputed
 * vectors handed back after a pause (in the app the model runs in its worker, off this thread).
 * Long tasks (> 50 ms) are counted while it runs.
 */
import { LvaDatabase } from '../../app/lib/db/database';
import { embedMissing, syncPassages } from '../../app/lib/embedding/indexer';
import type { BenchData } from './harness-data';

/** Re-indexes every capture from scratch; returns time, passages and long tasks. */
export async function measureIndexing(d: BenchData, dbName: string, modelId: string) {
  const byText = new Map<string, Float32Array>();
  d.passages.forEach((p, i) =>
    byText.set(p.text, d.vectors.subarray(i * d.dims, (i + 1) * d.dims))
  );
  const db = new LvaDatabase(dbName);
  await db.transaction('rw', db.passages, db.embeddings, db.settings, async () => {
    await db.passages.clear();
    await db.embeddings.clear();
    await db.settings.clear();
  });
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) =>
    list.getEntries().forEach((e) => tasks.push(e.duration))
  );
  observer.observe({ type: 'longtask' });
  const started = performance.now();
  await syncPassages(db);
  const passagesMs = performance.now() - started;
  const embedded = await embedMissing({
    db,
    modelId,
    embed: async (texts) => {
      await new Promise((r) => setTimeout(r, 2));
      return texts.map((t) => byText.get(t) ?? new Float32Array(d.dims));
    }
  });
  const totalMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  db.close();
  return {
    passagesMs,
    totalMs,
    embedded,
    longTasks: tasks.length,
    maxTaskMs: Math.max(0, ...tasks)
  };
}
