/**
 * Runs the real worker on workerd through Miniflare, without `wrangler dev`'s development layers:
 * no ProxyWorker in front (a second workerd hop on every request), no inspector attached (which
 * turns every console.log into a DevTools message with a captured stack trace), no per-request
 * access log posted back to Node. What remains is what production runs: wrangler's own bundle of
 * the worker, on workerd, with wrangler.toml's bindings (the Limiter Durable Object, static
 * assets, compatibility date and flags). The benchmark uses it to tell the worker's cost apart
 * from the dev tooling's; the tests keep using `wrangler dev`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Miniflare, convertV4MiniflareOptions, type V4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { repoRoot, WORKER_VARS, type WorkerVar } from './wrangler-dev.js';

/** A worker running on workerd. */
export interface WorkerdDirect {
  url: string;
  /** Request log lines the worker wrote (console.log, read from workerd's structured logs). */
  logLines: () => number;
  close(): Promise<void>;
}

/**
 * Bundles the worker exactly as `wrangler deploy` would (`--dry-run --outdir`, nothing uploaded)
 * and starts it on workerd on a free loopback port with the given configuration; every variable
 * the worker reads is passed explicitly (empty when not given), as in the `wrangler dev` helper.
 */
export async function startWorkerdDirect(
  vars: Partial<Record<WorkerVar, string>>
): Promise<WorkerdDirect> {
  const outdir = mkdtempSync(join(tmpdir(), 'lva-workerd-'));
  await promisify(execFile)(
    resolve(repoRoot, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', outdir],
    { cwd: repoRoot, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } }
  );
  const { workerOptions } = unstable_getMiniflareWorkerOptions(resolve(repoRoot, 'wrangler.toml'));
  // The bundle is already resolved: module rules would only matter for unbundled sources.
  const options: Record<string, unknown> = { ...workerOptions };
  delete options.modulesRules;
  const bindings: Record<string, string> = { ...(options.bindings as Record<string, string>) };
  for (const key of WORKER_VARS) {
    if (vars[key] !== undefined || !(key in bindings)) bindings[key] = vars[key] ?? '';
  }
  let lines = 0;
  const config = {
    host: '127.0.0.1',
    port: 0,
    // Production has no access log posted back to a dev server, and no request.cf to fetch.
    logRequests: false,
    cf: false,
    handleStructuredLogs: (log: { message: string }) => {
      if (log.message.includes('"requestId"')) lines++;
    },
    ...options,
    name: 'learning-voice-agent',
    modules: [{ type: 'ESModule', path: join(outdir, 'index.js') }],
    modulesRoot: outdir,
    bindings
  } as unknown as V4MiniflareOptions;
  const mf = new Miniflare(convertV4MiniflareOptions(config));
  const url = (await mf.ready).origin;
  return {
    url,
    logLines: () => lines,
    async close() {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    }
  };
}
