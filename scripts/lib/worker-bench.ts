/**
 * The measuring parts of `npm run bench:worker`: one streamed chat, pairing, percentiles, the
 * interleaved latency run and the concurrent-stream check.
 */

/** Where a chat request goes. */
export interface Target {
  url: string;
  headers: Record<string, string>;
}

/** A way to reach the stand-in: directly, or through the worker (then with a health URL). */
export interface BenchPath {
  name: string;
  chat: Target;
  health?: string;
}

/** p50/p99 of a list of milliseconds. */
export interface Percentiles {
  p50: number;
  p99: number;
}

/** The chat request every measurement sends. */
export const chatBody = JSON.stringify({
  model: 'claude-haiku-5-5',
  max_tokens: 200,
  stream: true,
  messages: [{ role: 'user', content: 'Photosynthesis turns light into chemical energy.' }]
});

const round = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank p50 and p99, rounded to 0.01 ms. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { p50: round(at(0.5)), p99: round(at(0.99)) };
}

/** What a path adds over another: the difference of their percentiles. */
export const added = (path: Percentiles, base: Percentiles): Percentiles => ({
  p50: round(path.p50 - base.p50),
  p99: round(path.p99 - base.p99)
});

/** Pairs a device with the pairing secret; returns its token. */
export async function pair(base: string, secret: string): Promise<string> {
  const response = await fetch(`${base}/api/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret })
  });
  if (response.status !== 201) throw new Error(`pairing failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * One whole streamed chat: time to its first body bytes (the first events) and to its last byte,
 * and whether it ended with message_stop.
 */
export async function chat(target: Target) {
  const started = performance.now();
  const response = await fetch(target.url, {
    method: 'POST',
    headers: target.headers,
    body: chatBody
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let firstMs = NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
    text += decoder.decode(value, { stream: true });
  }
  const ms = performance.now() - started;
  const proxy = /proxy;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
  return {
    ms,
    firstMs,
    proxyMs: proxy === undefined ? null : Number(proxy),
    complete:
      response.status === 200 && /event: message_stop/.test(text) && !/event: error/.test(text)
  };
}

/** Latency samples of one path. */
export interface PathSamples {
  chat: number[];
  /** Time to the first body bytes of the same chats. */
  first: number[];
  /** The worker's own Server-Timing `proxy` figure. */
  proxy: number[];
  /** `GET /api/health`, which does no work: the runtime's floor on that path. */
  health: number[];
}

/**
 * Whole streamed chats, one request in flight at a time (concurrency 1), the paths interleaved
 * request by request in a rotating order, so that a change in the machine's load hits every
 * path alike. Concurrency 1 on purpose: with more requests in flight than the machine has cores,
 * percentiles measure the queue, not what the proxy adds to a request. First `warmup` rounds of
 * the same interleaving, not counted: connection pools, the isolates' JIT and the Durable
 * Objects' first storage reads are start-up costs, not what the proxy adds to a request.
 */
export async function interleavedLatency(
  paths: BenchPath[],
  samples: number,
  warmup: number
): Promise<Record<string, PathSamples>> {
  const out: Record<string, PathSamples> = {};
  for (const path of paths) out[path.name] = { chat: [], first: [], proxy: [], health: [] };
  for (let i = -warmup; i < samples; i++) {
    for (let k = 0; k < paths.length; k++) {
      const path = paths[(((i + k) % paths.length) + paths.length) % paths.length]!;
      const into = out[path.name]!;
      const result = await chat(path.chat);
      let healthMs = NaN;
      if (path.health) {
        const started = performance.now();
        await (await fetch(path.health)).arrayBuffer();
        healthMs = performance.now() - started;
      }
      if (i < 0) continue;
      into.chat.push(result.ms);
      into.first.push(result.firstMs);
      if (result.proxyMs !== null) into.proxy.push(result.proxyMs);
      if (path.health) into.health.push(healthMs);
    }
  }
  return out;
}

/** Waves of `concurrency` streamed chats at once, each read to its end and checked. */
export async function concurrentStreams(target: Target, concurrency: number, waves: number) {
  let streams = 0;
  let incomplete = 0;
  for (let w = 0; w < waves; w++) {
    const results = await Promise.all(
      Array.from({ length: concurrency }, () => chat(target).catch(() => null))
    );
    for (const result of results) {
      streams++;
      if (!result?.complete) incomplete++;
    }
  }
  return { streams, incomplete };
}

/** Sends `limit + 10` chats one after another to a worker whose device limit is `limit`/minute. */
export async function crossRateLimit(target: Target, limit: number) {
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < limit + 10; i++) {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: target.headers,
      body: chatBody
    });
    await response.arrayBuffer();
    statuses.push(response.status);
    if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
  }
  return {
    limitPerMinute: limit,
    sent: statuses.length,
    ok: statuses.filter((s) => s === 200).length,
    rejected429: statuses.filter((s) => s === 429).length,
    retryAfterSeconds: retryAfter === null ? null : Number(retryAfter)
  };
}
