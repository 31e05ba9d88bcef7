/**
 * Runs the real worker under `wrangler dev` (workerd) for tests, on a free loopback port, with the
 * given configuration. Every configurable key is passed explicitly (empty when not given), so a
 * developer's own .dev.vars can never leak into a test run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
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
  'ACCESS_TOKEN'
] as const;

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
  vars: Partial<Record<(typeof WORKER_VARS)[number], string>>
): Promise<WranglerDev> {
  if (!existsSync(resolve(repoRoot, 'build', 'index.html'))) {
    throw new Error('The worker serves build/: run `npm run build` (or `npm test`) first.');
  }
  const port = await freePort();
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
    '--log-level',
    'info'
  ];
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
      child.once('exit', () => resolveClose());
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
