#!/usr/bin/env node
// The task runner behind `npm start` and `npm test`, started by scripts/bootstrap.mjs on Node 22
// with node_modules/.bin on PATH. Tasks:
//   start  provision models, build the app, serve app + worker with `wrangler dev`, print the URL
//   test   provision models, then every check and test suite; prints a summary, fails if any fails
//   build  provision models and build the app (build/ ready for `wrangler dev` or `wrangler deploy`)
//   check  formatting, lint and type checks only
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [task = 'start', ...rest] = process.argv.slice(2);

const color = (code, text) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);
const say = (text) => console.log(color(36, `[${task}] ${text}`));

/** Runs a command to completion; returns its exit code. */
function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env }
  });
  if (result.error) {
    console.error(`could not run ${cmd}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

function mustRun(cmd, args, env) {
  const code = run(cmd, args, env);
  if (code !== 0) process.exit(code);
}

/** Finds Debian's Chromium (or CHROMIUM_PATH); null when absent. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

const provision = () => mustRun('tsx', ['scripts/provision-models.ts']);

/** Builds the SPA into build/ and indexes large model files for the worker; returns an exit code. */
function build() {
  for (const [cmd, args] of [
    ['svelte-kit', ['sync']],
    ['vite', ['build', '--logLevel', 'warn']],
    ['tsx', ['scripts/split-large-assets.ts', 'build']]
  ]) {
    const code = run(cmd, args);
    if (code !== 0) return code;
  }
  return 0;
}

async function start() {
  provision();
  say('building the app ...');
  const built = build();
  if (built !== 0) process.exit(built);
  const port = process.env.PORT ?? '8787';
  const hasVars = existsSync(join(root, '.dev.vars'));
  const child = spawn('wrangler', ['dev', '--port', port, '--ip', '127.0.0.1', ...rest], {
    cwd: root,
    stdio: ['inherit', 'inherit', 'inherit']
  });
  const stop = () => child.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 120 && child.exitCode === null; i++) {
    try {
      const health = await (await fetch(`${url}/api/health`)).json();
      console.log('');
      console.log(color(32, `  Learning Voice Agent is running at ${url}`));
      if (!health.upstreams.anthropic.configured) {
        console.log(
          color(
            33,
            `  No ANTHROPIC_API_KEY configured${hasVars ? ' in .dev.vars' : ' (.dev.vars is absent)'}: replies come from the on-device offline coach.`
          )
        );
      }
      console.log('  Press Ctrl+C to stop.\n');
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  child.on('exit', (code) => process.exit(code ?? 0));
}

const CHECKS = [
  ['format', 'prettier', ['--check', '.', '--log-level', 'warn']],
  ['lint', 'eslint', ['.', '--max-warnings', '0']],
  [
    'types (app)',
    'svelte-check',
    ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']
  ],
  ['types (worker)', 'tsc', ['-p', 'worker/tsconfig.json']],
  ['types (worker runtime tests)', 'tsc', ['-p', 'tests/worker/runtime/tsconfig.json']],
  ['types (service worker)', 'tsc', ['-p', 'tsconfig.sw.json']],
  ['types (scripts)', 'tsc', ['-p', 'scripts/tsconfig.json']]
];

function check() {
  mustRun('svelte-kit', ['sync']);
  const results = CHECKS.map(([name, cmd, args]) => [name, run(cmd, args)]);
  return results;
}

function summary(results) {
  console.log('\n' + color(1, 'Summary'));
  for (const [name, code] of results) {
    console.log(
      `  ${code === 0 ? color(32, 'pass') : code === null ? color(33, 'skip') : color(31, 'FAIL')}  ${name}`
    );
  }
  return results.every(([, code]) => code === 0);
}

function test() {
  const chromium = findChromium();
  if (!chromium) {
    console.error(
      color(31, 'Chromium is needed for the browser tests but was not found.\n') +
        '  On Debian/Ubuntu: sudo apt-get install -y chromium   (or set CHROMIUM_PATH to a Chromium binary)'
    );
    process.exit(1);
  }
  provision();
  const results = check();
  // The worker tests serve build/ too, so the app is built before any test runs.
  const built = build() === 0;
  results.push(['build', built ? 0 : 1]);
  results.push(['unit and worker tests (vitest)', built ? run('vitest', ['run']) : null]);
  results.push([
    'end-to-end (Playwright, Chromium)',
    built
      ? run('playwright', ['test', '-c', 'tests/e2e/playwright.config.ts'], {
          CHROMIUM_PATH: chromium
        })
      : null
  ]);
  process.exit(summary(results) ? 0 : 1);
}

switch (task) {
  case 'start':
    await start();
    break;
  case 'test':
    test();
    break;
  case 'build':
    provision();
    process.exit(build());
    break;
  case 'check':
    process.exit(summary(check()) ? 0 : 1);
    break;
  default:
    console.error(`unknown task "${task}" (start | test | build | check)`);
    process.exit(2);
}
