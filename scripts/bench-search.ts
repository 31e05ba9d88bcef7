/**
 * Search speed in Chromium with real IndexedDB, on captures built from the SciFact corpus and
 * replicated to 1k, 10k and 100k: query latency p50/p95 (keyword, as-you-type, vector, hybrid),
 * time to build the index, time from navigation start to first search on a reload over the stored
 * captures, memory, long tasks while typing and while indexing (the long-task observer's wall
 * time and, from a Chrome trace, each task's CPU time), and Orama's own search on the same
 * documents and vectors in the same run, as ratios.
 *
 * Vectors come from the generated MiniLM-size model (lva-generated/minilm-shape-random: MiniLM's
 * exact size and compute, random weights). They are computed ONCE IN NODE with onnxruntime-node
 * (same pipeline call as the app's worker) and cached in .cache/, to save time; the browser gets
 * them as data. The machine is shared: figures are noisy, compare ratios within one run.
 *
 * Usage: npm run bench:search [-- --sizes 1000,10000,100000] [--orama-max 100000]
 * The last line of output is one JSON object with every figure.
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { splitPassages } from '../app/lib/embedding/passages.js';
import { defaultSourceDir, generateVariant, VARIANTS } from './generate-embedding-models.js';
import { serveBench, type Served } from './lib/bench-server.js';
import { mainThreadTasks, type MainThreadTasks } from './lib/main-thread-tasks.js';
import { embedTexts } from './lib/node-embedder.js';
import { loadSciFact } from './lib/scifact.js';

type Latency = { p50: number; p95: number; mean: number };
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    'orama-max': { type: 'string', default: '100000' }
  }
});
const sizes = args.sizes.split(',').map(Number);
const oramaMax = Number(args['orama-max']);
const MODEL = VARIANTS.random.id;

// 1. Data and vectors (Node, cached).
const sf = loadSciFact(root);
const modelsDir = join(root, '.cache/lva-generated-models');
generateVariant(VARIANTS.random, modelsDir, defaultSourceDir());
const passages = sf.docs.flatMap((d, doc) =>
  splitPassages(d.text).map((p) => ({ doc, index: p.index, text: p.text }))
);
console.log(
  `SciFact: ${sf.docs.length} documents, ${passages.length} passages; embedding in Node (cached) …`
);
const cache = join(root, '.cache/bench-search');
const vectors = await embedTexts(
  MODEL,
  modelsDir,
  passages.map((p) => p.text),
  cache
);
const queries = sf.test.map((q) => q.text);
const queryVectors = await embedTexts(MODEL, modelsDir, queries, cache);

// 2. The page: harness bundle and data, served from loopback (nothing is written to the repo).
const bundle = await build({
  entryPoints: [join(root, 'scripts/bench/harness.ts')],
  bundle: true,
  format: 'esm',
  write: false,
  target: 'es2022',
  logLevel: 'warning'
});
const json = (value: unknown): Served => ({
  body: JSON.stringify(value),
  type: 'application/json'
});
const binary = (data: Float32Array): Served => ({
  body: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  type: 'application/octet-stream'
});
const server = await serveBench(
  new Map<string, Served>([
    [
      '/',
      {
        body: '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/harness.js"></script>',
        type: 'text/html'
      }
    ],
    ['/harness.js', { body: bundle.outputFiles[0]!.text, type: 'text/javascript' }],
    ['/data/docs.json', json(sf.docs)],
    ['/data/passages.json', json(passages)],
    ['/data/vectors.f32', binary(vectors.data)],
    ['/data/queries.json', json(queries)],
    ['/data/query-vectors.f32', binary(queryVectors.data)]
  ])
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc'
  ]
});
const page: Page = await browser.newPage();
const call = <T>(fn: string, ...params: unknown[]) =>
  page.evaluate(
    async ([name, list]) => {
      const bench = (
        window as unknown as { lvaBench: Record<string, (...a: unknown[]) => Promise<unknown>> }
      ).lvaBench;
      return bench[name]!(...list);
    },
    [fn, params] as const
  ) as Promise<T>;
/** Runs `work` under a Chrome trace of the page's main-thread tasks (wall and thread time). */
const traced = async <T>(
  work: () => Promise<T>
): Promise<{ result: T; trace: MainThreadTasks }> => {
  await browser.startTracing(page, { categories: ['toplevel'] });
  const result = await work();
  return { result, trace: mainThreadTasks(await browser.stopTracing()) };
};
const fresh = async () => {
  await page.goto(server.url);
  await page.waitForFunction(() => 'lvaBench' in window);
};

// 3. Measure each size.
interface SizeFigures {
  captures: number;
  passages: number;
  seedMs: number;
  start: Record<string, number>;
  /** A reload over the stored data: times from navigation start (performance.timeOrigin). */
  reload: Record<string, number>;
  coldStart: Record<string, number>;
  ours: Record<string, Latency>;
  orama: (Record<string, Latency> & { buildMs: number }) | null;
  typing: {
    keystrokes: number;
    longTasks: number;
    maxTaskMs: number;
    trace: MainThreadTasks;
  } | null;
  indexing: {
    passagesMs: number;
    totalMs: number;
    embedded: number;
    longTasks: number;
    maxTaskMs: number;
    trace: MainThreadTasks;
  } | null;
}
const results: SizeFigures[] = [];
const cpuNote = (t: MainThreadTasks) =>
  `trace: ${t.overByWall} tasks over 50 ms of wall time (longest ${t.maxWallMs.toFixed(0)} ms, of which ${t.longestWallTaskThreadMs.toFixed(0)} ms on the CPU), ${t.overByThread} over 50 ms of CPU time (max ${t.maxThreadMs.toFixed(0)} ms)`;
for (const n of sizes) {
  console.log(`\n${n} captures: seeding IndexedDB …`);
  await fresh();
  const seeded = await call<{ seedMs: number; passages: number }>('seed', n, MODEL);
  // The very first start over imported data builds the index and stores it; every later start
  // (the one people wait for) restores it. Both on a new page over the stored data.
  await fresh();
  const cold = await call<Record<string, number>>('start', MODEL);
  // What a person waits for: the app reloaded over stored captures, timed from navigation start.
  await page.goto(`${server.url}/?reload=${encodeURIComponent(MODEL)}`);
  await page.waitForFunction(() => 'lvaBench' in window);
  const reload = await call<Record<string, number>>('reloaded');
  await fresh();
  const start = await call<Record<string, number>>('start', MODEL);
  const ours = await call<Record<string, Latency>>('queries');
  let typing: SizeFigures['typing'] = null;
  if (n >= 10_000) {
    await call('typingBox');
    const text = 'vitamin d deficiency and cancer risk';
    await page.click('#box');
    const { trace } = await traced(async () => {
      await page.keyboard.type(text, { delay: 60 });
      await page.waitForTimeout(1500);
    });
    const tasks = await page.evaluate(
      () => (window as unknown as { lvaLongTasks: number[] }).lvaLongTasks
    );
    typing = {
      keystrokes: text.length,
      longTasks: tasks.length,
      maxTaskMs: Math.max(0, ...tasks),
      trace
    };
  }
  const f = (l: Latency | undefined) => (l ? `${l.p50.toFixed(2)} / ${l.p95.toFixed(2)}` : '—');
  console.log(
    `  first start ever (builds and stores the index): every capture searchable ${cold.keywordReadyMs!.toFixed(0)} ms after the start call; index stored in ${cold.snapshotSaveMs!.toFixed(0)} ms`
  );
  console.log(
    `  reload over stored captures: searchable ${reload.keywordReadySinceNavigationMs!.toFixed(0)} ms after navigation start (script ran at ${reload.scriptStartedMs!.toFixed(0)} ms), meaning ready at ${reload.hybridReadySinceNavigationMs!.toFixed(0)} ms`
  );
  console.log(
    `  start call on a loaded page: searchable after ${start.keywordReadyMs!.toFixed(0)} ms (DB open ${start.openedMs!.toFixed(0)} ms), meaning ready after ${start.hybridReadyMs!.toFixed(0)} ms`
  );
  console.log(
    `  memory: ${start.memoryMB!.toFixed(1)} MB for the loaded search (vectors ${start.vectorMB!.toFixed(1)} MB of int8 capacity)`
  );
  console.log(
    `  ours p50 / p95 ms: ${(['keyword', 'keywordTyping', 'vector', 'hybrid'] as const).map((k) => `${k} ${f(ours[k])}`).join(', ')}`
  );
  if (typing)
    console.log(
      `  typing ${typing.keystrokes} keys: ${typing.longTasks} long tasks (max ${typing.maxTaskMs.toFixed(0)} ms); ${cpuNote(typing.trace)}`
    );
  // Main-thread cost of background indexing (re-indexes everything; the largest size is skipped:
  // it would take long and says nothing the 10k run does not).
  let indexing: SizeFigures['indexing'] = null;
  if (n <= 10_000) {
    console.log(`${n} captures: re-indexing passages and vectors …`);
    await fresh();
    await call('load'); // the bench's own data, fetched and parsed before the measured part
    const run = await traced(() =>
      call<Omit<NonNullable<SizeFigures['indexing']>, 'trace'>>('indexing', MODEL)
    );
    indexing = { ...run.result, trace: run.trace };
  }
  let orama: SizeFigures['orama'] = null;
  if (n <= oramaMax) {
    console.log(`${n} captures: building Orama …`);
    await fresh();
    try {
      orama = await call('orama', n);
    } catch (error) {
      console.log(
        `Orama failed at ${n}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
      );
    }
  }
  results.push({
    captures: n,
    passages: seeded.passages,
    seedMs: seeded.seedMs,
    start,
    reload,
    coldStart: cold,
    ours,
    orama,
    typing,
    indexing
  });
  if (orama) {
    console.log('  latency p50 / p95 ms     ours            Orama          ratio p95 (ours/Orama)');
    for (const kind of ['keyword', 'vector', 'hybrid'] as const)
      console.log(
        `  ${kind.padEnd(22)} ${f(ours[kind]).padEnd(15)} ${f(orama[kind]).padEnd(14)} ${(ours[kind]!.p95 / orama[kind]!.p95).toFixed(2)}`
      );
  }
  if (indexing)
    console.log(
      `  indexing (main thread; model off-thread): ${indexing.embedded} passages in ${(indexing.totalMs / 1000).toFixed(1)} s, ${indexing.longTasks} long tasks (max ${indexing.maxTaskMs.toFixed(0)} ms); ${cpuNote(indexing.trace)}`
    );
}

const chromiumVersion = browser.version();
await browser.close();
await server.close();

console.log(
  `\nChromium ${chromiumVersion}; vectors: ${MODEL} (generated, MiniLM-size), computed in Node with onnxruntime-node. Shared 2-core machine: noisy figures.`
);
console.log(
  JSON.stringify({
    model: MODEL,
    vectorsComputedIn: 'node (onnxruntime-node), cached',
    chromium: chromiumVersion,
    sizes: results
  })
);
