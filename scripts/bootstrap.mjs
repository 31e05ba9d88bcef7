#!/usr/bin/env node
// Entry point of `npm start` and `npm test`. It runs on whatever Node the machine has (even an
// end-of-life one), so it uses only Node built-ins: it brings Node 22 from the npm registry when the
// system Node is older, installs dependencies when package files changed, then hands over to the
// task runner on Node 22. Nothing else is downloaded here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIN_NODE = [22, 12, 0];
const NODE_PACKAGE = 'node@22';
const toolsDir = join(root, '.tools', 'node22');

/** @param {string} v */
const parse = (v) => v.replace(/^v/, '').split('.').map(Number);
/** @param {number[]} a @param {number[]} b */
const atLeast = (a, b) =>
  a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];

function log(message) {
  console.log(`\x1b[36m[setup]\x1b[0m ${message}`);
}

function fail(message) {
  console.error(`\x1b[31m[setup] ${message}\x1b[0m`);
  process.exit(1);
}

/** Run a command inheriting stdio; exit with its code when it fails. */
function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) fail(`could not run ${cmd}: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Returns the bin directory of a Node >= 22.12, bringing one from the npm registry if needed. */
function ensureNode() {
  if (atLeast(parse(process.versions.node), MIN_NODE)) return dirname(process.execPath);
  const bin = join(toolsDir, 'node_modules', 'node', 'bin');
  const probe = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && atLeast(parse(probe.stdout.trim()), MIN_NODE)) return bin;
  log(
    `system Node ${process.version} is older than 22.12; fetching ${NODE_PACKAGE} from the npm registry into .tools/ ...`
  );
  mkdirSync(toolsDir, { recursive: true });
  // The `node` package installs its platform binary from its preinstall script; npm 11 blocks
  // install scripts unless the project approves them, so this throwaway project approves exactly it.
  writeFileSync(
    join(toolsDir, 'package.json'),
    JSON.stringify(
      { name: 'lva-node22-tool', private: true, allowScripts: { node: true } },
      null,
      2
    )
  );
  run(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', NODE_PACKAGE],
    {
      cwd: toolsDir
    }
  );
  const check = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' });
  if (check.status !== 0)
    fail(`${NODE_PACKAGE} was installed but ${join(bin, 'node')} does not run.`);
  log(`using Node ${check.stdout.trim()} from .tools/node22`);
  return bin;
}

/** Installs dependencies when package.json or the lockfile changed since the last install. */
function ensureDependencies(env) {
  const lock = join(root, 'package-lock.json');
  const hash = createHash('sha256');
  hash.update(readFileSync(join(root, 'package.json')));
  if (existsSync(lock)) hash.update(readFileSync(lock));
  const digest = hash.digest('hex');
  const stamp = join(root, 'node_modules', '.lva-install-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  log('installing dependencies (npm install) ...');
  // `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional binaries (workerd,
  // esbuild) out of a lockfile written on Linux, which `npm ci` then rejects as out of sync.
  run('npm', ['install', '--no-audit', '--no-fund'], { env });
  writeFileSync(stamp, digest);
}

const task = process.argv[2] ?? 'start';
const nodeBin = ensureNode();
const env = {
  ...process.env,
  PATH: `${nodeBin}:${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
  // onnxruntime-node ships its CPU binary; its installer would try to download CUDA parts.
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  // Keep wrangler from phoning home (telemetry, Request.cf lookup); it works fully offline.
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false'
};
ensureDependencies(env);
run(join(nodeBin, 'node'), [join(root, 'scripts', 'tasks.mjs'), task, ...process.argv.slice(3)], {
  env
});
