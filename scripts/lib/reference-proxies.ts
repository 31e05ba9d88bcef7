/**
 * Two minimal streaming proxies on workerd, for scale in `npm run bench:worker`: what any proxy
 * on this runtime adds on this machine, before any of the worker's own work. `/pass` hands the
 * upstream body to the response untouched, so workerd pipes it natively with no JavaScript per
 * chunk; `/relay` reads each chunk in JavaScript and enqueues it, as any relay must that looks at
 * the events on their way (the worker does, to turn a mid-stream failure into an error event in
 * its own shape, never pass on half an event, time out a stalled stream and count tokens). Neither
 * has auth, limits, validation or logging. Same compatibility date and flags as the worker.
 */
import { resolve } from 'node:path';
import { Miniflare, convertV4MiniflareOptions, type V4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { repoRoot } from '../../tests/helpers/wrangler-dev.js';
import {
  added,
  interleavedLatency,
  percentiles,
  type BenchPath,
  type Percentiles
} from './worker-bench.js';

const SCRIPT = `
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const upstream = await fetch(env.UPSTREAM + '/v1/messages', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': env.API_KEY,
        'anthropic-version': '2023-06-01'
      },
      body: await request.text()
    });
    const headers = { 'content-type': 'text/event-stream; charset=utf-8' };
    if (pathname === '/pass') return new Response(upstream.body, { headers });
    const reader = upstream.body.getReader();
    const body = new ReadableStream({
      async pull(controller) {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: () => reader.cancel()
    });
    return new Response(body, { headers });
  }
};`;

/** The two reference proxies' chat URLs. */
export interface ReferenceProxies {
  passThrough: string;
  jsRelay: string;
  close(): Promise<void>;
}

/** Starts both on workerd (one Miniflare instance), in front of `upstream`. */
async function startReferenceProxies(upstream: string, apiKey: string): Promise<ReferenceProxies> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(resolve(repoRoot, 'wrangler.toml'));
  const config = {
    name: 'reference-proxies',
    host: '127.0.0.1',
    port: 0,
    logRequests: false,
    cf: false,
    modules: true,
    script: SCRIPT,
    compatibilityDate: workerOptions.compatibilityDate,
    compatibilityFlags: workerOptions.compatibilityFlags,
    bindings: { UPSTREAM: upstream, API_KEY: apiKey }
  } as unknown as V4MiniflareOptions;
  const mf = new Miniflare(convertV4MiniflareOptions(config));
  const origin = (await mf.ready).origin;
  return {
    passThrough: `${origin}/pass`,
    jsRelay: `${origin}/relay`,
    close: () => mf.dispose()
  };
}

/**
 * What each reference proxy adds over `direct` (the stand-in called directly, interleaved with
 * them request by request as in the worker's own phases): started, measured, stopped.
 */
export async function referenceProxiesAdded(
  direct: BenchPath,
  upstream: string,
  apiKey: string,
  samples: number,
  warmup: number
): Promise<Record<'passThrough' | 'jsRelay', Percentiles>> {
  const proxies = await startReferenceProxies(upstream, apiKey);
  try {
    const path = (name: string, url: string): BenchPath => ({
      name,
      chat: { url, headers: { 'content-type': 'application/json' } }
    });
    const r = await interleavedLatency(
      [direct, path('passThrough', proxies.passThrough), path('jsRelay', proxies.jsRelay)],
      samples,
      warmup
    );
    const base = percentiles(r.direct!.chat);
    return {
      passThrough: added(percentiles(r.passThrough!.chat), base),
      jsRelay: added(percentiles(r.jsRelay!.chat), base)
    };
  } finally {
    await proxies.close();
  }
}
