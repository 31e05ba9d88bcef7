/**
 * Browser side of scripts/bench-search.ts, bundled by it and run in Chromium: the app's own
 * database, loading path and search engine on real IndexedDB, and Orama on the same documents and
 * vectors. Everything the Node side calls is on `window.lvaBench`.
 */
import {
  LvaDatabase,
  type CaptureRecord,
  type EmbeddingRecord,
  type PassageRecord
} from '../../app/lib/db/database';
import type { CaptureId, PassageId } from '../../app/lib/db/ids';
import { forEachEmbeddingPage, vectorValues } from '../../app/lib/db/passages-repo';
import { SearchEngine } from '../../app/lib/search/search-engine';
import { loadSnapshot, saveSnapshot } from '../../app/lib/search/search-snapshot';
import { quantize, VectorIndex } from '../../app/lib/search/vector-index';
import { loadCapturesInSlices, yieldToPage } from '../../app/lib/state/search-loading';
import { measureIndexing } from './harness-indexing';
import { buildOramaIndex, oramaLatencies } from './harness-orama';
import { latencies, type BenchData, type Latency } from './harness-data';

const DB = 'lva-bench';
const SOURCES = ['mic', 'import', 'markdown'] as const;
let data: BenchData | null = null;
let engine: SearchEngine | null = null;
const scriptStartedMs = performance.now();

async function load(): Promise<BenchData> {
  if (data) return data;
  const [docs, passages, vectors, queries, queryVectors] = await Promise.all([
    fetch('/data/docs.json').then((r) => r.json() as Promise<BenchData['docs']>),
    fetch('/data/passages.json').then((r) => r.json() as Promise<BenchData['passages']>),
    fetch('/data/vectors.f32').then((r) => r.arrayBuffer()),
    fetch('/data/queries.json').then((r) => r.json() as Promise<string[]>),
    fetch('/data/query-vectors.f32').then((r) => r.arrayBuffer())
  ]);
  const dims = new Float32Array(vectors).length / passages.length;
  data = {
    docs,
    passages,
    dims,
    vectors: new Float32Array(vectors),
    queries,
    queryVectors: new Float32Array(queryVectors)
  };
  return data;
}

/** Writes `n` captures (SciFact documents, replicated) with passages and int8 vectors. */
async function seed(n: number, modelId: string): Promise<{ seedMs: number; passages: number }> {
  const d = await load();
  const started = performance.now();
  await new LvaDatabase(DB).delete();
  const db = new LvaDatabase(DB);
  const byDoc = new Map<number, number[]>();
  d.passages.forEach((p, i) => byDoc.set(p.doc, [...(byDoc.get(p.doc) ?? []), i]));
  const quantized = d.passages.map((_, i) =>
    quantize(d.vectors.subarray(i * d.dims, (i + 1) * d.dims))
  );
  const year = 365 * 24 * 3600 * 1000;
  let passageCount = 0;
  for (let start = 0; start < n; start += 2000) {
    const captures: CaptureRecord[] = [];
    const passages: PassageRecord[] = [];
    const embeddings: EmbeddingRecord[] = [];
    for (let i = start; i < Math.min(n, start + 2000); i++) {
      const docIndex = i % d.docs.length;
      const doc = d.docs[docIndex]!;
      const id = `cap-${String(i).padStart(6, '0')}` as CaptureId;
      const at = Date.UTC(2025, 0, 1) + Math.floor((i / n) * year);
      captures.push({
        id,
        createdAt: at,
        updatedAt: at,
        title: doc.title,
        text: doc.text,
        segments: [],
        language: 'english',
        modelId: 'bench',
        source: SOURCES[i % 3]!,
        audioId: null,
        durationMs: 60_000,
        status: 'ready',
        error: null,
        tags: [`t${i % 20}`],
        private: i % 50 === 0
      });
      for (const p of byDoc.get(docIndex) ?? []) {
        const passage = d.passages[p]!;
        const passageId = `${id}-${passage.index}` as PassageId;
        passages.push({
          id: passageId,
          captureId: id,
          index: passage.index,
          text: passage.text,
          start: null,
          end: null
        });
        const q = quantized[p]!;
        embeddings.push({
          passageId,
          captureId: id,
          modelId,
          dims: d.dims,
          encoding: 'i8',
          vector: q.values.buffer as ArrayBuffer,
          scale: q.scale,
          createdAt: at
        });
      }
    }
    passageCount += passages.length;
    await db.transaction('rw', db.captures, db.passages, db.embeddings, async () => {
      await db.captures.bulkAdd(captures);
      await db.passages.bulkAdd(passages);
      await db.embeddings.bulkAdd(embeddings);
    });
  }
  db.close();
  return { seedMs: performance.now() - started, passages: passageCount };
}

/**
 * Memory in use by the page: the browser's own measurement (includes typed-array buffers, which
 * the JS heap size leaves out); needs cross-origin isolation, which the bench server provides.
 */
async function memory(): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const measure = (
    performance as Performance & {
      measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
    }
  ).measureUserAgentSpecificMemory;
  if (measure) {
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 30_000));
    const result = await Promise.race([measure.call(performance), timeout]);
    if (result) return result.bytes;
  }
  const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return heap?.usedJSHeapSize ?? NaN;
}

/**
 * The app's start path (search-manager.svelte.ts): open the database, restore the stored keyword
 * index (or, on the very first start, index every capture and store it), then load the vectors.
 * Times are from `t0`; `…SinceNavigationMs` are `performance.now()`, i.e. since navigation start.
 */
async function startSearch(modelId: string, t0: number) {
  const db = new LvaDatabase(DB);
  await db.open();
  const openedMs = performance.now() - t0;
  const e = new SearchEngine();
  const snapshot = await loadSnapshot(db);
  const restored = snapshot !== null && e.importState(snapshot.state);
  let watermark = snapshot?.watermark ?? 0;
  if (!restored) watermark = await loadCapturesInSlices(db, (c) => e.upsert(c));
  // As the app does after a restore: apply anything newer than the snapshot.
  for (const c of await db.captures.where('updatedAt').above(watermark).toArray()) e.upsert(c);
  const keywordReadyMs = performance.now() - t0;
  const keywordReadySinceNavigationMs = performance.now();
  let index: VectorIndex | null = null;
  await forEachEmbeddingPage(db, modelId, async (page) => {
    for (const r of page) {
      index ??= new VectorIndex(r.dims);
      index.set(r.passageId, r.captureId, { values: vectorValues(r), scale: r.scale });
    }
    await yieldToPage();
  });
  e.vectors = index;
  const hybridReadyMs = performance.now() - t0;
  const hybridReadySinceNavigationMs = performance.now();
  engine = e;
  return {
    db,
    watermark,
    restored,
    openedMs,
    keywordReadyMs,
    keywordReadySinceNavigationMs,
    hybridReadyMs,
    hybridReadySinceNavigationMs,
    index: index as VectorIndex | null
  };
}

/** {@link startSearch} on a page the harness opened earlier, with memory before and after. */
async function start(modelId: string) {
  const heapBefore = await memory();
  const s = await startSearch(modelId, performance.now());
  const heapAll = await memory();
  let snapshotSaveMs = 0;
  if (!s.restored) {
    const t = performance.now();
    await saveSnapshot(s.db, s.watermark, engine!.exportState());
    snapshotSaveMs = performance.now() - t;
  }
  s.db.close();
  return {
    fromSnapshot: s.restored ? 1 : 0,
    snapshotSaveMs,
    openedMs: s.openedMs,
    keywordReadyMs: s.keywordReadyMs,
    hybridReadyMs: s.hybridReadyMs,
    memoryMB: (heapAll - heapBefore) / 2 ** 20,
    vectorMB: (s.index?.bytes ?? 0) / 2 ** 20,
    captures: engine!.size,
    passages: s.index?.size ?? 0
  };
}

// A reload over stored data (`?reload=<model id>`): the start path runs as soon as this script
// does, as the app's does at boot, so its times are from navigation start (performance.timeOrigin).
const reloadModel = new URL(location.href).searchParams.get('reload');
const reloaded = reloadModel
  ? startSearch(reloadModel, 0).then((s) => {
      s.db.close();
      return {
        fromSnapshot: s.restored ? 1 : 0,
        keywordReadySinceNavigationMs: s.keywordReadySinceNavigationMs,
        hybridReadySinceNavigationMs: s.hybridReadySinceNavigationMs,
        scriptStartedMs: scriptStartedMs
      };
    })
  : null;

/** Latencies of our search for every test query: keyword, as-you-type prefix, vector, hybrid. */
async function queries(): Promise<Record<string, Latency>> {
  const d = await load();
  const e = engine!;
  const qv = (i: number) => d.queryVectors.subarray(i * d.dims, (i + 1) * d.dims);
  const typing = (q: string) => q.slice(0, Math.max(3, Math.floor(q.length * 0.6)));
  // One warm-up pass, as a person's first keystroke warms the JIT.
  d.queries.forEach((q, i) => e.search({ query: `${q} `, queryVector: qv(i) }));
  return {
    keyword: latencies(d.queries, (q) => e.search({ query: `${q} ` })),
    keywordTyping: latencies(d.queries, (q) => e.search({ query: typing(q) })),
    vector: latencies(d.queries, (_, i) => e.vectors!.search(qv(i), 100)),
    hybrid: latencies(d.queries, (q, i) => e.search({ query: `${q} `, queryVector: qv(i) }))
  };
}

/** Wires a text box to the app's search path (keyword at once, hybrid sliced) for the typing test. */
async function typingBox(): Promise<void> {
  const d = await load();
  const box = document.createElement('input');
  box.id = 'box';
  document.body.append(box);
  const vector = d.queryVectors.subarray(0, d.dims);
  box.addEventListener('input', () => {
    const query = box.value;
    engine!.search({ query });
    void engine!.searchSliced({ query, queryVector: vector }, yieldToPage);
  });
  const tasks: number[] = [];
  new PerformanceObserver((list) =>
    list.getEntries().forEach((e) => tasks.push(e.duration))
  ).observe({ type: 'longtask' });
  (window as unknown as { lvaLongTasks: number[] }).lvaLongTasks = tasks;
}

async function orama(n: number) {
  const d = await load();
  const built = await buildOramaIndex(d, n);
  return { buildMs: built.buildMs, ...(await oramaLatencies(built.db, d)) };
}

async function indexing(modelId: string) {
  return measureIndexing(await load(), DB, modelId);
}

Object.assign(window, {
  lvaBench: {
    load: async () => void (await load()),
    seed,
    start,
    queries,
    typingBox,
    orama,
    indexing,
    reloaded: () => reloaded
  }
});
