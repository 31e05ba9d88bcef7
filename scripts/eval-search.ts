/**
 * Relevance of the capture search on BEIR SciFact (test split, 300 queries): nDCG@10, Recall@10
 * and Recall@100 for keyword-only, vector-only and hybrid, plus keyword latency. Tuning (--tune)
 * uses the train split only. SciFact is read from ../shared at run time, never copied.
 *
 * Vector and hybrid figures need the real all-MiniLM-L6-v2 weights in static/models/ (provisioned
 * when obtainable). Without them they are not reported: generated weights are meaningless.
 * `--model lva-generated/minilm-shape-tiny` runs the vector path with a generated model anyway,
 * marked meaningless (a plumbing check, not a result).
 *
 * Usage: npm run eval:search [-- --tune] [--libraries] [--model <id>]
 * The last line of output is one JSON object with every figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { splitPassages } from '../app/lib/embedding/passages.js';
import { DEFAULT_EMBEDDING_MODEL, isGeneratedModel } from '../app/lib/embedding/models.js';
import {
  DEFAULT_KEYWORD_PARAMS,
  KeywordIndex,
  type KeywordParams
} from '../app/lib/search/keyword-index.js';
import { SearchEngine, type EngineParams } from '../app/lib/search/search-engine.js';
import { VectorIndex } from '../app/lib/search/vector-index.js';
import { defaultSourceDir, generateVariant, VARIANTS } from './generate-embedding-models.js';
import { percentile, relevance, type RelevanceFigures } from './lib/ir-metrics.js';
import { embedTexts, row } from './lib/node-embedder.js';
import { loadSciFact, type SciFactDoc, type SciFactQuery } from './lib/scifact.js';
import {
  buildFlexSearch,
  buildLunr,
  buildMiniSearch,
  buildOrama,
  type LibraryIndex
} from './lib/search-libraries.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: { tune: { type: 'boolean' }, libraries: { type: 'boolean' }, model: { type: 'string' } }
});
const sf = loadSciFact(root);
const fmt = (x: number) => x.toFixed(3);
const ms = (x: number) => x.toFixed(2);
const table: string[] = [];
const line = (name: string, r: RelevanceFigures, extra = '') =>
  table.push(
    `${name.padEnd(34)} ${fmt(r.ndcg10)}   ${fmt(r.recall10)}   ${fmt(r.recall100)}  ${extra}`
  );

function keywordIndex(
  docs: readonly SciFactDoc[],
  params: Partial<KeywordParams>,
  suffix = ''
): KeywordIndex {
  const index = new KeywordIndex(params);
  for (const d of docs) index.add({ id: d.id + suffix, title: d.title, text: d.text, tags: [] });
  return index;
}

/** Rankings and per-query latency; queries end with a space (finished words, as BEIR queries are). */
function runKeyword(index: KeywordIndex, queries: readonly SciFactQuery[]) {
  const times: number[] = [];
  const runs = queries.map((q) => {
    const t = performance.now();
    const ranking = index.search(`${q.text} `, { limit: 100 }).map((h) => h.id);
    times.push(performance.now() - t);
    return { ranking, relevant: q.relevant };
  });
  return { figures: relevance(runs), p50: percentile(times, 50), p95: percentile(times, 95) };
}

// 1. Keyword parameters: defaults, or a grid search on train.
let params: Partial<KeywordParams> = {};
if (args.tune) {
  let best = { ndcg: -1, params: {} as Partial<KeywordParams> };
  for (const k1 of [0.9, 1.2, 1.5])
    for (const b of [0.5, 0.75, 0.9])
      for (const titleWeight of [1, 2, 3, 4]) {
        const p = { k1, b, titleWeight };
        const { figures } = runKeyword(keywordIndex(sf.docs, p), sf.train);
        console.log(`train k1=${k1} b=${b} title×${titleWeight}: nDCG@10 ${fmt(figures.ndcg10)}`);
        if (figures.ndcg10 > best.ndcg) best = { ndcg: figures.ndcg10, params: p };
      }
  params = best.params;
  console.log(`best on train: ${JSON.stringify(params)} (nDCG@10 ${fmt(best.ndcg)})`);
}
const used = { ...DEFAULT_KEYWORD_PARAMS, ...params };

// 2. Keyword on test, at 5k docs and replicated to ~50k for latency.
const buildStart = performance.now();
const index = keywordIndex(sf.docs, params);
const buildMs = performance.now() - buildStart;
const keyword = runKeyword(index, sf.test);
const trainKeyword = runKeyword(index, sf.train).figures;
table.push('system                             nDCG@10 R@10    R@100  latency p50/p95 (5k docs)');
line('keyword (ours, BM25)', keyword.figures, `${ms(keyword.p50)} / ${ms(keyword.p95)} ms`);
const big = new KeywordIndex(params);
for (let r = 0; r < 10; r++)
  for (const d of sf.docs) big.add({ id: `${d.id}#${r}`, title: d.title, text: d.text, tags: [] });
const bigRun = runKeyword(big, sf.test);
table.push(
  `keyword at ${big.size} docs: ${ms(bigRun.p50)} / ${ms(bigRun.p95)} ms p50/p95 per query`
);

// 3. Libraries, same data, same process (optional: slow to build).
const libraries: Record<string, { ndcg10: number; p50Ms: number; p95Ms: number }> = {};
if (args.libraries) {
  const builders: (() => Promise<LibraryIndex> | LibraryIndex)[] = [
    () => buildLunr(sf.docs),
    () => buildMiniSearch(sf.docs),
    () => buildFlexSearch(sf.docs),
    () => buildOrama(sf.docs)
  ];
  for (const build of builders) {
    const lib = await build();
    const times: number[] = [];
    const runs = [];
    for (const q of sf.test) {
      const t = performance.now();
      const ranking = await lib.search(q.text, 100);
      times.push(performance.now() - t);
      runs.push({ ranking, relevant: q.relevant });
    }
    const r = relevance(runs);
    libraries[lib.name] = {
      ndcg10: r.ndcg10,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95)
    };
    line(lib.name, r, `${ms(percentile(times, 50))} / ${ms(percentile(times, 95))} ms`);
  }
}

// 4. Vector and hybrid: only meaningful with the real model.
const modelId = args.model ?? DEFAULT_EMBEDDING_MODEL;
const generated = isGeneratedModel(modelId);
const staticModels = join(root, 'static/models');
const realAvailable =
  !generated &&
  existsSync(join(staticModels, modelId, 'onnx/model_quantized.onnx')) &&
  (
    JSON.parse(readFileSync(join(staticModels, 'status.json'), 'utf8')) as {
      models: { id: string; available: boolean }[];
    }
  ).models.some((m) => m.id === modelId && m.available);
let vector: RelevanceFigures | null = null;
let hybrid: RelevanceFigures | null = null;
let fusion: EngineParams | null = null;
if (realAvailable || generated) {
  const modelsDir = generated ? join(root, '.cache/lva-generated-models') : staticModels;
  if (generated) {
    const variant = Object.values(VARIANTS).find((v) => v.id === modelId);
    if (!variant) throw new Error(`unknown generated model ${modelId}`);
    generateVariant(variant, modelsDir, defaultSourceDir());
  }
  const passages = sf.docs.flatMap((d) =>
    splitPassages(`${d.title}. ${d.text}`).map((p) => ({
      docId: d.id,
      id: `${d.id}:${p.index}`,
      text: p.text
    }))
  );
  const cache = join(root, '.cache/eval-search');
  const docVectors = await embedTexts(
    modelId,
    modelsDir,
    passages.map((p) => p.text),
    cache
  );
  const queries = [...sf.train, ...sf.test];
  const queryVectors = await embedTexts(
    modelId,
    modelsDir,
    queries.map((q) => q.text),
    cache
  );
  const qv = new Map(queries.map((q, i) => [q.id, row(queryVectors, i)]));
  const vectors = new VectorIndex(docVectors.dims, passages.length);
  passages.forEach((p, i) => vectors.set(p.id, p.docId, row(docVectors, i)));
  vector = relevance(
    sf.test.map((q) => ({
      ranking: vectors.search(qv.get(q.id)!, 100).map((h) => h.captureId),
      relevant: q.relevant
    }))
  );
  const engineFor = (p: EngineParams) => {
    const engine = new SearchEngine({ ...p, keyword: params });
    for (const d of sf.docs)
      engine.upsert({
        id: d.id,
        title: d.title,
        text: d.text,
        tags: [],
        source: 'import',
        createdAt: 0
      });
    engine.vectors = vectors;
    return engine;
  };
  const runHybrid = (engine: SearchEngine, split: SciFactQuery[]) =>
    relevance(
      split.map((q) => ({
        ranking: engine
          .search({ query: `${q.text} `, queryVector: qv.get(q.id)!, limit: 100 })
          .map((r) => r.id),
        relevant: q.relevant
      }))
    );
  fusion = { fusion: { k: 60 }, keywordWeight: 1, meaningWeight: 1 };
  if (args.tune) {
    let best = -1;
    for (const k of [10, 30, 60, 100])
      for (const meaningWeight of [0.5, 0.75, 1, 1.5]) {
        const p: EngineParams = { fusion: { k }, keywordWeight: 1, meaningWeight };
        const n = runHybrid(engineFor(p), sf.train).ndcg10;
        console.log(`train fusion k=${k} meaning×${meaningWeight}: nDCG@10 ${fmt(n)}`);
        if (n > best) [best, fusion] = [n, p];
      }
  }
  hybrid = runHybrid(engineFor(fusion), sf.test);
  const note = generated ? '  (generated weights: MEANINGLESS)' : '';
  line(`vector (${modelId})`, vector, note);
  line('hybrid (guarded RRF)', hybrid, note);
} else {
  table.push(
    `vector, hybrid: not measured — the real ${modelId} weights are not provisioned here, and generated weights would give meaningless figures.`
  );
}

console.log('\nBEIR SciFact, test split (300 queries), title + text; Node ' + process.version);
console.log(
  `keyword params: ${JSON.stringify(used)}; build ${buildMs.toFixed(0)} ms for ${sf.docs.length} docs`
);
console.log(`keyword on train (for reference): nDCG@10 ${fmt(trainKeyword.ndcg10)}`);
console.log(table.join('\n'));
console.log(
  'references: BM25 0.665 (BEIR), 0.679 (Anserini flat); all-MiniLM-L6-v2 ~0.645; target keyword ≥ 0.69'
);
const pick = (r: RelevanceFigures | null) =>
  r && {
    ndcg10: +r.ndcg10.toFixed(4),
    recall10: +r.recall10.toFixed(4),
    recall100: +r.recall100.toFixed(4)
  };
console.log(
  JSON.stringify({
    dataset: 'scifact',
    split: 'test',
    queries: sf.test.length,
    keyword: {
      ...pick(keyword.figures),
      p50Ms: +ms(keyword.p50),
      p95Ms: +ms(keyword.p95),
      docs: sf.docs.length
    },
    keywordLatencyAtScale: { docs: big.size, p50Ms: +ms(bigRun.p50), p95Ms: +ms(bigRun.p95) },
    vector: pick(vector),
    hybrid: pick(hybrid),
    embeddingModel: realAvailable || generated ? modelId : null,
    meaningless: generated,
    keywordParams: used,
    fusion,
    tuned: Boolean(args.tune),
    libraries
  })
);
