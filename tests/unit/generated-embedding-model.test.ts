import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AutoModel,
  AutoTokenizer,
  env,
  pipeline,
  type FeatureExtractionPipeline
} from '@huggingface/transformers';
import * as ortWeb from 'onnxruntime-web';
import { generateVariant, VARIANTS } from '../../scripts/generate-embedding-models.js';

const MODEL_ID = VARIANTS.tiny.id;
const HIDDEN = VARIANTS.tiny.params.hiddenSize;
const modelsDir = resolve(
  process.env.MODELS_DIR ?? resolve(import.meta.dirname, '../../../shared/models')
);
const sourceDir = join(modelsDir, 'Xenova/all-MiniLM-L6-v2');

const SENTENCES = [
  'A man is playing a guitar.',
  'The stock market fell sharply today after the central bank raised interest rates again.',
  'Hi',
  'How do I reset my password?'
];

let outDir: string;
let q8: FeatureExtractionPipeline;
let fp32: FeatureExtractionPipeline;

const rows = (data: Float32Array, width: number): Float32Array[] =>
  Array.from({ length: data.length / width }, (_, i) => data.slice(i * width, (i + 1) * width));
/** list[i], failing the test instead of yielding undefined. */
function at<T>(list: ArrayLike<T>, i: number): T {
  if (i < 0 || i >= list.length) throw new Error(`index ${i} out of range (length ${list.length})`);
  return list[i] as T;
}
function sameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
}
const dot = (a: Float32Array, b: Float32Array): number => {
  sameLength(a, b);
  return a.reduce((s, v, i) => s + v * at(b, i), 0);
};
const maxAbsDiff = (a: Float32Array, b: Float32Array): number => {
  sameLength(a, b);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - at(b, i))), 0);
};

async function embed(p: FeatureExtractionPipeline, texts: string[]): Promise<Float32Array[]> {
  const out = await p(texts, { pooling: 'mean', normalize: true });
  expect(out.dims).toEqual([texts.length, HIDDEN]);
  return rows(out.data as Float32Array, HIDDEN);
}

beforeAll(async () => {
  expect(
    existsSync(join(sourceDir, 'tokenizer.json')),
    `MiniLM tokenizer missing in ${sourceDir}`
  ).toBe(true);
  outDir = mkdtempSync(join(tmpdir(), 'lva-embedding-'));
  generateVariant(VARIANTS.tiny, outDir, sourceDir);
  // Exactly the app's loading path: local files only.
  env.allowRemoteModels = false;
  env.localModelPath = outDir;
  q8 = await pipeline('feature-extraction', MODEL_ID, { dtype: 'q8' });
  fp32 = await pipeline('feature-extraction', MODEL_ID, { dtype: 'fp32' });
}, 120_000);

afterAll(async () => {
  await q8?.dispose();
  await fp32?.dispose();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('generated minilm-shape-tiny', () => {
  it('has the MiniLM layout, an adjusted config and byte-identical tokenizer files', () => {
    const dir = join(outDir, MODEL_ID);
    for (const f of ['onnx/model.onnx', 'onnx/model_quantized.onnx'])
      expect(existsSync(join(dir, f))).toBe(true);
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(sourceDir, f)))).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      model_type: 'bert',
      hidden_size: HIDDEN,
      num_hidden_layers: 2,
      lva_generated: true
    });
    expect(config.vocab_size).toBe(30522);
    expect(typeof config.lva_note).toBe('string');
  });

  it.each([
    ['q8', () => q8],
    ['fp32', () => fp32]
  ])(
    '%s: mean-pooled, normalised embeddings have the hidden size and unit norm',
    async (_, get) => {
      const vectors = await embed(get(), SENTENCES);
      for (const v of vectors) {
        expect(v.every(Number.isFinite)).toBe(true);
        expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
      }
    }
  );

  // q8 differs slightly because DynamicQuantizeLinear's scale covers the whole (padded) batch:
  // ~7e-5 measured. An ignored attention mask gives ~6e-3, so 1e-3 still catches that.
  it.each([
    ['q8', () => q8, 1e-3],
    ['fp32', () => fp32, 1e-5]
  ])('%s: a sentence in a padded batch embeds as it does alone', async (_, get, tolerance) => {
    const p = get();
    // The batch must really be padded, or this test could not catch an ignored mask.
    const lengths = SENTENCES.map((s) => at(p.tokenizer(s).input_ids.dims, 1));
    expect(Math.min(...lengths)).toBeLessThan(Math.max(...lengths) - 5);
    const batch = await embed(p, SENTENCES);
    for (const [i, sentence] of SENTENCES.entries()) {
      const alone = at(await embed(p, [sentence]), 0);
      expect(maxAbsDiff(alone, at(batch, i))).toBeLessThan(tolerance);
    }
  });

  it('gives distinct sentences distinct vectors and equal sentences equal vectors', async () => {
    const vectors = await embed(fp32, [...SENTENCES, at(SENTENCES, 0)]);
    for (let i = 0; i < SENTENCES.length; i++) {
      for (let j = i + 1; j < SENTENCES.length; j++)
        expect(dot(at(vectors, i), at(vectors, j))).toBeLessThan(0.99);
    }
    expect(maxAbsDiff(at(vectors, 0), at(vectors, SENTENCES.length))).toBe(0);
  });

  it('q8 stays close to fp32 (cosine > 0.9 for every sentence)', async () => {
    const [a, b] = [await embed(q8, SENTENCES), await embed(fp32, SENTENCES)];
    a.forEach((v, i) => expect(dot(v, at(b, i))).toBeGreaterThan(0.9));
    // ...but it is really a different (quantised) graph, not the fp32 file loaded twice.
    expect(maxAbsDiff(at(a, 0), at(b, 0))).toBeGreaterThan(0);
  });

  it('runs in onnxruntime-web (the browser runtime) with the same hidden states as in Node', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
    const inputs = tokenizer(SENTENCES, { padding: true });
    for (const [dtype, file, tolerance] of [
      ['fp32', 'model.onnx', 1e-4],
      ['q8', 'model_quantized.onnx', 1e-3]
    ] as const) {
      const model = await AutoModel.from_pretrained(MODEL_ID, { dtype });
      const output = (await model(inputs)) as { last_hidden_state: { data: Float32Array } };
      const expected = output.last_hidden_state.data;
      await model.dispose();
      const session = await ortWeb.InferenceSession.create(
        readFileSync(join(outDir, MODEL_ID, 'onnx', file))
      );
      const feeds = Object.fromEntries(
        (['input_ids', 'attention_mask', 'token_type_ids'] as const).map((name) => {
          const t = inputs[name];
          if (!t) throw new Error(`tokenizer returned no ${name}`);
          return [name, new ortWeb.Tensor('int64', t.data as BigInt64Array, t.dims)];
        })
      );
      const hidden = (await session.run(feeds)).last_hidden_state;
      if (!hidden) throw new Error('no last_hidden_state output');
      expect(hidden.dims).toEqual([SENTENCES.length, at(inputs.input_ids.dims, 1), HIDDEN]);
      expect(maxAbsDiff(hidden.data as Float32Array, expected)).toBeLessThan(tolerance);
      await session.release();
    }
  }, 60_000);

  it('is deterministic and idempotent', () => {
    const other = mkdtempSync(join(tmpdir(), 'lva-embedding-'));
    try {
      const again = generateVariant(VARIANTS.tiny, other, sourceDir);
      expect(again.skipped).toBe(false);
      for (const f of ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) {
        const a = readFileSync(join(outDir, MODEL_ID, f));
        expect(a.equals(readFileSync(join(other, MODEL_ID, f))), f).toBe(true);
      }
      expect(generateVariant(VARIANTS.tiny, outDir, sourceDir).skipped).toBe(true);
      // A different seed must change the weights, so the byte comparison above can fail.
      const reseeded = { ...VARIANTS.tiny, params: { ...VARIANTS.tiny.params, seed: 99 } };
      generateVariant(reseeded, other, sourceDir);
      const fp32File = (dir: string): Buffer =>
        readFileSync(join(dir, MODEL_ID, 'onnx/model.onnx'));
      expect(fp32File(outDir).equals(fp32File(other))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
