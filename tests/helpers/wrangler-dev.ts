/**
 * Runs the real worker under `wrangler dev` (workerd) for tests, on a free loopback port, with the
 * given configuration. Every configurable key is passed explicitly (empty when not given), so a
 * developer's own .dev.vars can never leak into a test run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every variable the worker reads; unset ones are passed as empty strings. */
export const WORKER_VARS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_MODEL',
  'ANTHROPIC_MODEL_ALLOWLIST',
  'MAX_TOKENS_CAP',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_TRANSCRIBE_MODEL',
  'OPENAI_TRANSCRIBE_RESPONSE_FORMAT',
  'PAIRING_SECRET',
  'TOKEN_SIGNING_SECRET',
  'DEVICE_TOKEN_TTL_DAYS',
  'CORS_ORIGINS',
  'RATE_LIMIT_DEVICE_PER_MINUTE',
  'RATE_LIMIT_IP_PER_MINUTE',
  'RATE_LIMIT_PAIR_PER_HOUR',
  'RATE_LIMIT_BACKEND',
  'DAILY_TOKEN_BUDGET',
  'DAILY_TRANSCRIBE_SECONDS',
  'UPSTREAM_CONNECT_TIMEOUT_MS',
  'UPSTREAM_FIRST_BYTE_TIMEOUT_MS',
  'UPSTREAM_RESPONSE_TIMEOUT_MS',
  'UPSTREAM_IDLE_TIMEOUT_MS',
  'UPSTREAM_MAX_RETRIES',
  'UPSTREAM_BACKOFF_BASE_MS',
  'UPSTREAM_BACKOFF_MAX_MS',
  'UPSTREAM_MAX_RETRY_AFTER_MS',
  'CIRCUIT_FAILURE_THRESHOLD',
  'CIRCUIT_COOLDOWN_MS',
  'LOG_DEBUG'
] as const;

/** A worker variable name. */
export type WorkerVar = (typeof WORKER_VARS)[number];

/** Extra options of {@link startWranglerDev}. */
export interface WranglerDevOptions {
  /** Appended to a copy of wrangler.toml (e.g. `[[ratelimits]]` bindings for one test). */
  extraConfig?: string;
}

/** A running worker. */
export interface WranglerDev {
  url: string;
  /** Everything wrangler and the worker printed (stdout and stderr). */
  output: () => string;
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `wrangler dev` and resolves once `/api/health` answers. */
export async function startWranglerDev(
  vars: Partial<Record<WorkerVar, string>>,
  options: WranglerDevOptions = {}
): Promise<WranglerDev> {
  if (!existsSync(resolve(repoRoot, 'build', 'index.html'))) {
    throw new Error('The worker serves build/: run `npm run build` (or `npm test`) first.');
  }
  const port = await freePort();
  const persistDir = mkdtempSync(join(tmpdir(), 'lva-wrangler-'));
  // Each instance needs its own inspector port too, or parallel instances collide on 9229.
  const inspectorPort = await freePort();
  const args = [
    'dev',
    '--port',
    String(port),
    '--ip',
    '127.0.0.1',
    '--inspector-port',
    String(inspectorPort),
    '--show-interactive-dev-session=false',
    // `log` (not `info`): the worker's own console.log lines are the structured request logs.
    '--log-level',
    'log',
    // Durable Object state (rate limits, budgets) of one instance never leaks into another run.
    '--persist-to',
    persistDir
  ];
  const configPath = options.extraConfig ? variantConfig(options.extraConfig, persistDir) : null;
  if (configPath) args.push('--config', configPath);
  for (const key of WORKER_VARS) {
    if (key === 'ANTHROPIC_MODEL' || key === 'MAX_TOKENS_CAP') {
      if (vars[key] !== undefined) args.push('--var', `${key}:${vars[key]}`);
      continue;
    }
    args.push('--var', `${key}:${vars[key] ?? ''}`);
  }
  let output = '';
  const child: ChildProcess = spawn(resolve(repoRoot, 'node_modules/.bin/wrangler'), args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      NO_COLOR: '1'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const close = () =>
    new Promise<void>((resolveClose) => {
      if (child.exitCode !== null) return resolveClose();
      child.once('exit', () => {
        rmSync(persistDir, { recursive: true, force: true });
        if (configPath) rmSync(configPath, { force: true });
        resolveClose();
      });
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return { url, output: () => output, close };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await close();
  throw new Error(`wrangler dev did not become ready:\n${output}`);
}

/** Writes wrangler.toml plus extra configuration next to the original (paths stay valid). */
function variantConfig(extra: string, persistDir: string): string {
  const dir = resolve(repoRoot, '.wrangler', 'test-configs');
  mkdirSync(dir, { recursive: true });
  const name = `wrangler.${persistDir.split(/[\\/]/).at(-1)}.toml`;
  const base = readFileSync(resolve(repoRoot, 'wrangler.toml'), 'utf8')
    .replace(/^main = "/m, 'main = "../../')
    .replace(/^directory = "\.\//m, 'directory = "../../');
  const path = join(dir, name);
  writeFileSync(path, `${base}\n${extra}\n`);
  return path;
}
