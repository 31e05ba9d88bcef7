/**
 * The embedding worker's handler with a real Transformers.js pipeline on the generated tiny
 * MiniLM-shaped model (random weights: the vectors mean nothing, but shape, normalisation,
 * batching, ordering and model switching are real).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, pipeline } from '@huggingface/transformers';
import {
  createEmbeddingHandler,
  type EmbedderLoader,
  type FeatureExtractor
} from '$lib/embedding/embedding-handler';
import type { EmbeddingResponse } from '$lib/embedding/protocol';
import { generateVariant, VARIANTS } from '../../scripts/generate-embedding-models.js';

const TINY = VARIANTS.tiny.id;
const DIMS = VARIANTS.tiny.params.hiddenSize;
const sourceDir = join(
  resolve(process.env.MODELS_DIR ?? resolve(import.meta.dirname, '../../../shared/models')),
  'Xenova/all-MiniLM-L6-v2'
);
let outDir: string;
const loads: string[] = [];

const loader: EmbedderLoader = async (modelId, _allowHub, onProgress) => {
  loads.push(modelId);
  const extractor = await pipeline('feature-extraction', modelId, {
    dtype: 'q8',
    progress_callback: (info) => onProgress(info)
  });
  return extractor as unknown as FeatureExtractor;
};

function harness() {
  const messages: EmbeddingResponse[] = [];
  const handle = createEmbeddingHandler(loader, (m) => messages.push(m));
  const final = (id: number) => messages.find((m) => m.id === id && m.type !== 'progress');
  return { messages, handle, final };
}

beforeAll(() => {
  expect(
    existsSync(join(sourceDir, 'tokenizer.json')),
    `MiniLM tokenizer missing in ${sourceDir}`
  ).toBe(true);
  outDir = mkdtempSync(join(tmpdir(), 'lva-embed-handler-'));
  generateVariant(VARIANTS.tiny, outDir, sourceDir);
  env.allowRemoteModels = false;
  env.localModelPath = outDir;
});

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('embedding handler', () => {
  it('loads once, reports the dimensions, and returns unit vectors in input order', async () => {
    const { handle, final } = harness();
    await handle({ id: 1, type: 'load', modelId: TINY, allowHub: false });
    expect(final(1)).toMatchObject({ type: 'loaded', modelId: TINY, dims: DIMS });
    await handle({ id: 2, type: 'load', modelId: TINY, allowHub: false });
    expect(final(2)).toMatchObject({ type: 'loaded', loadMs: 0 });

    const texts = [
      'Photosynthesis makes sugar from light.',
      'Mitochondria',
      'Photosynthesis makes sugar from light.'
    ];
    await handle({ id: 3, type: 'embed', texts, priority: 'index' });
    const result = final(3);
    if (result?.type !== 'embedded')
      throw new Error(`expected vectors, got ${JSON.stringify(result)}`);
    expect(result.count).toBe(3);
    expect(result.vectors).toHaveLength(3 * DIMS);
    const row = (i: number) => result.vectors.subarray(i * DIMS, (i + 1) * DIMS);
    for (let i = 0; i < 3; i++) expect(Math.hypot(...row(i))).toBeCloseTo(1, 4);
    expect([...row(0)]).toEqual([...row(2)]);
    expect([...row(0)]).not.toEqual([...row(1)]);
  }, 60_000);

  it('answers queries before queued indexing batches', async () => {
    const { handle, messages } = harness();
    await handle({ id: 1, type: 'load', modelId: TINY, allowHub: false });
    const done = [
      handle({ id: 10, type: 'embed', texts: ['batch one'], priority: 'index' }),
      handle({ id: 11, type: 'embed', texts: ['batch two'], priority: 'index' }),
      handle({ id: 12, type: 'embed', texts: ['the query'], priority: 'query' })
    ];
    await Promise.all(done);
    const order = messages.filter((m) => m.type === 'embedded').map((m) => m.id);
    // Batch 10 was already running when the query came; the query overtakes batch 11.
    expect(order).toEqual([10, 12, 11]);
  }, 60_000);

  it('rejects bad requests and embedding before load with stable codes', async () => {
    const { handle, final } = harness();
    await handle({ id: 1, type: 'embed', texts: ['x'], priority: 'query' });
    expect(final(1)).toMatchObject({ type: 'error', code: 'model_not_loaded' });
    await handle({ id: 2, type: 'embed', texts: [], priority: 'query' });
    expect(final(2)).toMatchObject({ type: 'error', code: 'bad_request' });
    await handle({ id: 3, type: 'load', modelId: 'lva-generated/absent', allowHub: false });
    const error = final(3);
    expect(error).toMatchObject({ type: 'error', code: 'model_load_failed' });
    expect(error?.type === 'error' && error.message).toMatch(
      /lva-generated\/absent could not be loaded/
    );
  }, 60_000);
});
