/**
 * Generates stand-in sentence-embedding models with the layout and I/O of the Transformers.js
 * export of Xenova/all-MiniLM-L6-v2, whose real weights cannot be obtained on these machines.
 * The weights are random: outputs have the right shape and compute cost, but no meaning.
 *
 * Usage: tsx scripts/generate-embedding-models.ts [--out static/models] [--variant tiny|random|all]
 *                                                 [--source <dir with MiniLM config + tokenizer>]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBertModel } from './lib/bert-graph.js';
import { createBertWeights, type BertParams } from './lib/bert-weights.js';
import { encodeModel } from './lib/onnx-proto.js';

/** Bump when the generator's output changes for the same params, so stamps are invalidated. */
export const GENERATOR_VERSION = 1;

/** Files copied byte-for-byte from the real MiniLM folder. */
const COPIED_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json'
] as const;
const STAMP_FILE = 'lva-generated.stamp.json';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A model variant: its id under the models folder and its sizes. */
export interface VariantSpec {
  /** Model id as passed to pipeline(), e.g. `lva-generated/minilm-shape-tiny`. */
  id: string;
  params: BertParams;
}

const shared = {
  vocabSize: 30522,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  initStd: 0.02
};

/** The two variants: tiny for tests, MiniLM-L6 size for benchmarks. */
export const VARIANTS = {
  tiny: {
    id: 'lva-generated/minilm-shape-tiny',
    params: { ...shared, hiddenSize: 32, numLayers: 2, numHeads: 2, intermediateSize: 64, seed: 1 }
  },
  random: {
    id: 'lva-generated/minilm-shape-random',
    params: {
      ...shared,
      hiddenSize: 384,
      numLayers: 6,
      numHeads: 12,
      intermediateSize: 1536,
      seed: 2
    }
  }
} satisfies Record<string, VariantSpec>;

/** One written (or already present) file. */
export interface FileReport {
  path: string;
  bytes: number;
  sha256: string;
}

/** What generateVariant did. */
export interface VariantReport {
  id: string;
  dir: string;
  /** true when the stamp and every file already matched, so nothing was written. */
  skipped: boolean;
  files: FileReport[];
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Default tokenizer/config source: the app's static copy if present, else the shared models folder. */
export function defaultSourceDir(): string {
  const inStatic = join(repoRoot, 'static/models/Xenova/all-MiniLM-L6-v2');
  if (existsSync(join(inStatic, 'config.json'))) return inStatic;
  const modelsDir = resolve(repoRoot, process.env.MODELS_DIR ?? '../shared/models');
  return join(modelsDir, 'Xenova/all-MiniLM-L6-v2');
}

/** The real MiniLM config.json with the size fields set from `params`, marked as generated. */
function makeConfig(sourceConfig: string, spec: VariantSpec): string {
  const config = JSON.parse(sourceConfig) as Record<string, unknown>;
  const p = spec.params;
  Object.assign(config, {
    hidden_size: p.hiddenSize,
    num_hidden_layers: p.numLayers,
    num_attention_heads: p.numHeads,
    intermediate_size: p.intermediateSize,
    vocab_size: p.vocabSize,
    max_position_embeddings: p.maxPositions,
    type_vocab_size: p.typeVocabSize,
    lva_generated: true,
    lva_note:
      'Generated stand-in with random weights: its embeddings are meaningless (shape, plumbing and compute cost only).'
  });
  return `${JSON.stringify(config, null, 2)}\n`;
}

interface Stamp {
  generator_version: number;
  key: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** True when the stamp has this key and every file it lists is on disk with the same hash. */
function upToDate(dir: string, key: string): FileReport[] | null {
  const stampPath = join(dir, STAMP_FILE);
  if (!existsSync(stampPath)) return null;
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as Stamp;
  if (stamp.key !== key) return null;
  const reports: FileReport[] = [];
  for (const [path, expected] of Object.entries(stamp.files)) {
    const full = join(dir, path);
    if (!existsSync(full) || statSync(full).size !== expected.bytes) return null;
    if (sha256(readFileSync(full)) !== expected.sha256) return null;
    reports.push({ path, ...expected });
  }
  return reports;
}

/**
 * Writes one variant into `<outDir>/<spec.id>/` unless an identical copy is already there.
 * @param sourceDir Folder holding the real MiniLM config.json and tokenizer files.
 */
export function generateVariant(
  spec: VariantSpec,
  outDir: string,
  sourceDir: string
): VariantReport {
  const dir = join(outDir, spec.id);
  const sources = new Map<string, Buffer>();
  for (const name of ['config.json', ...COPIED_FILES]) {
    const path = join(sourceDir, name);
    if (!existsSync(path)) throw new Error(`missing ${path} (use --source or MODELS_DIR)`);
    sources.set(name, readFileSync(path));
  }
  // Everything the output depends on, so a changed source file or param forces a rewrite.
  const key = sha256(
    Buffer.from(
      JSON.stringify({
        version: GENERATOR_VERSION,
        params: spec.params,
        sources: [...sources].map(([name, data]) => [name, sha256(data)])
      })
    )
  );
  const existing = upToDate(dir, key);
  if (existing) return { id: spec.id, dir, skipped: true, files: existing };

  const outputs = new Map<string, Uint8Array>();
  outputs.set(
    'config.json',
    Buffer.from(makeConfig(sources.get('config.json')!.toString('utf8'), spec))
  );
  for (const name of COPIED_FILES) outputs.set(name, sources.get(name)!);
  const weights = createBertWeights(spec.params);
  const docString = `${spec.id}: generated stand-in, random weights, meaningless output`;
  outputs.set(
    'onnx/model.onnx',
    encodeModel(buildBertModel(spec.params, weights, { quantized: false, docString }))
  );
  outputs.set(
    'onnx/model_quantized.onnx',
    encodeModel(buildBertModel(spec.params, weights, { quantized: true, docString }))
  );

  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const files: FileReport[] = [];
  for (const [path, data] of outputs) {
    writeFileSync(join(dir, path), data);
    files.push({ path, bytes: data.length, sha256: sha256(data) });
  }
  // The stamp goes last: an interrupted run leaves no stamp and is redone next time.
  const stamp: Stamp = {
    generator_version: GENERATOR_VERSION,
    key,
    files: Object.fromEntries(files.map((f) => [f.path, { bytes: f.bytes, sha256: f.sha256 }]))
  };
  writeFileSync(join(dir, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  return { id: spec.id, dir, skipped: false, files };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      variant: { type: 'string', default: 'all' },
      source: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  });
  if (values.help) {
    console.log(
      'Usage: tsx scripts/generate-embedding-models.ts [--out dir] [--variant tiny|random|all] [--source dir]'
    );
    return;
  }
  const names = values.variant === 'all' ? (['tiny', 'random'] as const) : [values.variant];
  const outDir = values.out ? resolve(values.out) : join(repoRoot, 'static/models');
  const sourceDir = values.source ? resolve(values.source) : defaultSourceDir();
  for (const name of names) {
    if (name !== 'tiny' && name !== 'random')
      throw new Error(`unknown --variant ${name} (tiny|random|all)`);
    const started = performance.now();
    const report = generateVariant(VARIANTS[name], outDir, sourceDir);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const verb = report.skipped ? 'up to date, skipped' : `written in ${seconds} s`;
    const shown = relative(process.cwd(), report.dir);
    console.log(`${report.id}: ${verb} -> ${shown.startsWith('..') ? report.dir : shown}`);
    for (const f of report.files)
      console.log(`  ${f.path.padEnd(27)} ${String(f.bytes).padStart(10)} B  sha256 ${f.sha256}`);
  }
  console.log(
    'WARNING: lva-generated/* models are generated stand-ins with random weights; their embeddings are meaningless (only shape, plumbing and compute cost are real).'
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
