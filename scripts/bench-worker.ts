/**
 * `npm run bench:worker`: a bounded loopback load test of the worker under `wrangler dev`
 * (workerd) against the Anthropic stand-in, compared with calling the stand-in directly in the
 * same run. Prints requests/s, the latency the proxy adds (p50/p99 of whole streamed chats),
 * errors under 50 concurrent streaming chats, and the 429s once a device crosses its rate limit;
 * the very last line is one JSON object of the figures. Needs `npm run build` first (the worker
 * serves build/). Timings on a shared machine are noisy: compare the ratios, not the absolutes.
 * BENCH_LIMITER=memory uses the in-memory limiter instead of the Durable Object; BENCH_ROUNDS and
 * BENCH_DURATION shorten or lengthen the run.
 */
import autocannon from 'autocannon';
import { startWranglerDev } from '../tests/helpers/wrangler-dev.js';
import { startAnthropicStub } from '../tests/stubs/anthropic-stub.js';

const KEY = 'sk-ant-bench-key-0000000000';
const SECRET = 'bench-pairing-secret-000000';
const LATENCY_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PER_ROUND = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONCURRENT = 50;
const WAVES = 3;
const RATE_LIMIT = 20;
/** `memory` benches with the in-memory limiter instead of the Durable Object (isolates its cost). */
const LIMITER = process.env.BENCH_LIMITER === 'memory' ? 'memory' : 'auto';

const body = JSON.stringify({
  model: 'claude-haiku-5-5',
  max_tokens: 200,
  stream: true,
  messages: [{ role: 'user', content: 'Photosynthesis turns light into chemical energy.' }]
});

/** Where a chat request goes. */
interface Target {
  url: string;
  headers: Record<string, string>;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
const round = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const stub = await startAnthropicStub({ apiKey: KEY });
  const common = {
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: stub.url,
    PAIRING_SECRET: SECRET,
    RATE_LIMIT_BACKEND: LIMITER
  };
  const [worker, limited] = await Promise.all([
    startWranglerDev({
      ...common,
      RATE_LIMIT_DEVICE_PER_MINUTE: '1000000',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      DAILY_TOKEN_BUDGET: '1000000000'
    }),
    startWranglerDev({ ...common, RATE_LIMIT_DEVICE_PER_MINUTE: String(RATE_LIMIT) })
  ]);
  try {
    const token = await pair(worker.url);
    const direct: Target = {
      url: `${stub.url}/v1/messages`,
      headers: {
        'content-type': 'application/json',
        'x-api-key': KEY,
        'anthropic-version': '2023-06-01'
      }
    };
    const proxied: Target = {
      url: `${worker.url}/api/chat`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    };

    // 1. Added latency: whole streamed chats, one at a time, direct and proxied interleaved; and
    //    the runtime's own floor (`GET /api/health`, which does no work) for scale.
    const times = {
      direct: [] as number[],
      worker: [] as number[],
      proxy: [] as number[],
      floor: [] as number[]
    };
    await chat(direct); // warm both paths
    await chat(proxied);
    for (let r = 0; r < LATENCY_ROUNDS; r++) {
      for (let i = 0; i < PER_ROUND; i++) times.direct.push((await chat(direct)).ms);
      for (let i = 0; i < PER_ROUND; i++) {
        const result = await chat(proxied);
        times.worker.push(result.ms);
        if (result.proxyMs !== null) times.proxy.push(result.proxyMs);
      }
      for (let i = 0; i < PER_ROUND; i++) {
        const started = performance.now();
        await (await fetch(`${worker.url}/api/health`)).arrayBuffer();
        times.floor.push(performance.now() - started);
      }
    }
    for (const list of Object.values(times)) list.sort((a, b) => a - b);
    const latency = {
      direct: { p50: round(quantile(times.direct, 0.5)), p99: round(quantile(times.direct, 0.99)) },
      worker: { p50: round(quantile(times.worker, 0.5)), p99: round(quantile(times.worker, 0.99)) }
    };
    const added = {
      p50: round(latency.worker.p50 - latency.direct.p50),
      p99: round(latency.worker.p99 - latency.direct.p99)
    };
    console.log(`latency (ms, ${times.direct.length} sequential streamed chats each)`);
    console.log(`  direct  p50 ${latency.direct.p50}  p99 ${latency.direct.p99}`);
    console.log(`  worker  p50 ${latency.worker.p50}  p99 ${latency.worker.p99}`);
    console.log(`  added   p50 ${added.p50}  p99 ${added.p99}   (target: p99 added <= 10 ms)`);
    const floor = {
      p50: round(quantile(times.floor, 0.5)),
      p99: round(quantile(times.floor, 0.99))
    };
    console.log(
      `  worker's own Server-Timing proxy time: p50 ${quantile(times.proxy, 0.5)} p99 ${quantile(times.proxy, 0.99)}`
    );
    console.log(
      `  runtime floor (GET /api/health via wrangler dev): p50 ${floor.p50} p99 ${floor.p99}`
    );

    // 2. Throughput with autocannon (10 connections).
    const load = (target: Target, connections: number) =>
      autocannon({
        url: target.url,
        method: 'POST',
        headers: target.headers,
        body,
        connections,
        duration: DURATION_S
      });
    const directLoad = await load(direct, 10);
    const workerLoad = await load(proxied, 10);
    const rps = {
      direct: round(directLoad.requests.average),
      worker: round(workerLoad.requests.average)
    };
    console.log(
      `throughput (req/s, 10 connections, ${DURATION_S} s): direct ${rps.direct}  worker ${rps.worker}`
    );

    // 3. 50 concurrent streaming chats, slow enough to overlap, each checked to its last event.
    stub.setTiming({ firstTokenDelayMs: 200, tokenDelayMs: 20 });
    let streams = 0;
    let errors = 0;
    for (let w = 0; w < WAVES; w++) {
      const results = await Promise.all(
        Array.from({ length: CONCURRENT }, () => chat(proxied).catch(() => null))
      );
      for (const result of results) {
        streams++;
        if (!result?.complete) errors++;
      }
    }
    const concurrentLoad = await load(proxied, CONCURRENT);
    const concurrentErrors =
      concurrentLoad.errors + concurrentLoad.non2xx + concurrentLoad.timeouts;
    stub.setTiming({ firstTokenDelayMs: 0, tokenDelayMs: 0 });
    console.log(
      `${CONCURRENT} concurrent streaming chats: ${streams} checked streams, ${errors} incomplete; autocannon ${concurrentLoad.requests.total} requests, ${concurrentErrors} errors`
    );

    // 4. Crossing a device's rate limit.
    const limitedToken = await pair(limited.url);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < RATE_LIMIT + 10; i++) {
      const response = await fetch(`${limited.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${limitedToken}` },
        body
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
    }
    const rateLimit = {
      limitPerMinute: RATE_LIMIT,
      sent: statuses.length,
      ok: statuses.filter((s) => s === 200).length,
      rejected429: statuses.filter((s) => s === 429).length,
      retryAfterSeconds: retryAfter === null ? null : Number(retryAfter)
    };
    console.log(
      `rate limit ${RATE_LIMIT}/min per device: ${rateLimit.ok} ok, ${rateLimit.rejected429} × 429 (Retry-After ${retryAfter} s)`
    );
    console.log(
      JSON.stringify({
        limiter: LIMITER === 'memory' ? 'memory' : 'durable-object',
        requestsPerSecond: rps,
        latencyMs: { ...latency, added },
        serverTimingProxyMs: { p50: quantile(times.proxy, 0.5), p99: quantile(times.proxy, 0.99) },
        runtimeFloorMs: floor,
        concurrentStreaming: {
          concurrency: CONCURRENT,
          checkedStreams: streams,
          incomplete: errors,
          autocannonRequests: concurrentLoad.requests.total,
          autocannonErrors: concurrentErrors
        },
        rateLimit,
        targets: {
          p99AddedMsMax: 10,
          p99AddedMet: added.p99 <= 10,
          zeroErrors: errors + concurrentErrors === 0
        }
      })
    );
  } finally {
    await Promise.all([worker.close(), limited.close()]);
    await stub.close();
  }
}

async function pair(base: string): Promise<string> {
  const response = await fetch(`${base}/api/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: SECRET })
  });
  if (response.status !== 201) throw new Error(`pairing failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** One whole streamed chat: time to its last byte, and whether it ended with message_stop. */
async function chat(target: Target) {
  const started = performance.now();
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body });
  const text = await response.text();
  const ms = performance.now() - started;
  const proxy = /proxy;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
  return {
    ms,
    proxyMs: proxy === undefined ? null : Number(proxy),
    complete:
      response.status === 200 && /event: message_stop/.test(text) && !/event: error/.test(text)
  };
}

await main();
