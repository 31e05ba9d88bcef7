/**
 * Sentence embeddings in Node (Transformers.js on onnxruntime-node), for the evaluation and the
 * benchmark. The same pipeline call as the app's worker (mean pooling, normalised, q8), computed
 * once and cached under .cache/ (git-ignored) keyed by model files and inputs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';

/** Vectors of equal size, row after row. */
export interface VectorSet {
  dims: number;
  count: number;
  data: Float32Array;
}

/** Row i of a vector set. */
export function row(set: VectorSet, i: number): Float32Array {
  return set.data.subarray(i * set.dims, (i + 1) * set.dims);
}

/**
 * Embeds texts with `modelId` from `modelsDir`, `batch` at a time, with a cache file under
 * `cacheDir`. Prints progress to stderr for long runs.
 */
export async function embedTexts(
  modelId: string,
  modelsDir: string,
  texts: readonly string[],
  cacheDir: string,
  batch = 16
): Promise<VectorSet> {
  const modelBytes = readFileSync(join(modelsDir, modelId, 'onnx/model_quantized.onnx'));
  const key = createHash('sha256')
    .update(modelId)
    .update(createHash('sha256').update(modelBytes).digest())
    .update(JSON.stringify(texts))
    .digest('hex')
    .slice(0, 24);
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${modelId.replace(/\W+/g, '_')}-${key}.f32`);
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) {
    const { dims, count } = JSON.parse(readFileSync(meta, 'utf8')) as {
      dims: number;
      count: number;
    };
    const bytes = readFileSync(file);
    return {
      dims,
      count,
      data: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
    };
  }
  env.allowRemoteModels = false;
  env.localModelPath = modelsDir;
  const extractor = await pipeline('feature-extraction', modelId, { dtype: 'q8' });
  let dims = 0;
  const rows: Float32Array[] = [];
  const started = performance.now();
  for (let i = 0; i < texts.length; i += batch) {
    const out = await extractor(texts.slice(i, i + batch), {
      pooling: 'mean',
      normalize: true
    });
    dims = out.dims.at(-1) ?? 0;
    rows.push(Float32Array.from(out.data as Float32Array));
    if (i % (batch * 50) === 0)
      process.stderr.write(
        `  embedding ${i}/${texts.length} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`
      );
  }
  await extractor.dispose();
  const data = new Float32Array(texts.length * dims);
  let offset = 0;
  for (const r of rows) {
    data.set(r, offset);
    offset += r.length;
  }
  writeFileSync(file, Buffer.from(data.buffer));
  writeFileSync(meta, JSON.stringify({ modelId, dims, count: texts.length }));
  return { dims, count: texts.length, data };
}
