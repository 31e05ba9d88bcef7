/**
 * Fault injection against the loopback Anthropic stand-in, through the real worker on workerd:
 * retries with backoff (honouring retry-after) only before the first byte, connect/first-byte/idle
 * timeouts, mid-stream failures as SSE error events, client aborts that cancel the upstream,
 * and the per-upstream circuit breaker as health reports it.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicStub, type AnthropicStub } from '../stubs/anthropic-stub';
import { startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev';
import {
  chatBody,
  eventually,
  expectError,
  logLines,
  pairDevice,
  parseEvents,
  postChat,
  streamedText
} from './helpers';

const KEY = 'sk-ant-resilience-key-abcdef012345';
const SECRET = 'resilience-pairing-secret-0123';
const LONG = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');

let stub: AnthropicStub;
let breakerStub: AnthropicStub;
let worker: WranglerDev;
let breakerWorker: WranglerDev;
let token: string;
let breakerToken: string;

beforeAll(async () => {
  [stub, breakerStub] = await Promise.all([
    startAnthropicStub({
      apiKey: KEY,
      slowMs: 4000,
      retryAfterSeconds: 1,
      tokenDelayMs: 5,
      reply: (body) =>
        JSON.stringify(body.messages).includes('LONG') ? LONG : 'A short reply of some words here.'
    }),
    startAnthropicStub({ apiKey: KEY })
  ]);
  const common = {
    ANTHROPIC_API_KEY: KEY,
    PAIRING_SECRET: SECRET,
    RATE_LIMIT_DEVICE_PER_MINUTE: '1000'
  };
  [worker, breakerWorker] = await Promise.all([
    startWranglerDev({
      ...common,
      ANTHROPIC_BASE_URL: stub.url,
      UPSTREAM_CONNECT_TIMEOUT_MS: '1000',
      UPSTREAM_FIRST_BYTE_TIMEOUT_MS: '1500',
      UPSTREAM_RESPONSE_TIMEOUT_MS: '2000',
      UPSTREAM_IDLE_TIMEOUT_MS: '1000',
      UPSTREAM_BACKOFF_BASE_MS: '50',
      UPSTREAM_MAX_RETRY_AFTER_MS: '3000',
      CIRCUIT_FAILURE_THRESHOLD: '1000'
    }),
    startWranglerDev({
      ...common,
      ANTHROPIC_BASE_URL: breakerStub.url,
      UPSTREAM_MAX_RETRIES: '0',
      LOG_DEBUG: '1',
      CIRCUIT_FAILURE_THRESHOLD: '2',
      CIRCUIT_COOLDOWN_MS: '1500'
    })
  ]);
  [token, breakerToken] = await Promise.all([
    pairDevice(worker.url, SECRET),
    pairDevice(breakerWorker.url, SECRET)
  ]);
});

afterAll(async () => {
  await Promise.all([worker?.close(), breakerWorker?.close()]);
  await Promise.all([stub?.close(), breakerStub?.close()]);
});

/** Requests the stub received during `run`. */
async function counted<T>(s: AnthropicStub, run: () => Promise<T>) {
  const before = s.requests.length;
  const result = await run();
  return { result, seen: s.requests.slice(before) };
}

const streamChat = (body = chatBody({ stream: true }), signal?: AbortSignal) =>
  postChat(worker.url, token, body, {}, signal);

describe('retries before the first byte', () => {
  it('retries 529 overloaded and 500 with backoff, then streams the reply', async () => {
    stub.queueFaults('overloaded-529', 'http-500');
    const { result, seen } = await counted(stub, async () => {
      const response = await streamChat(chatBody({ stream: true }), undefined);
      return { status: response.status, events: parseEvents(await response.text()) };
    });
    expect(result.status).toBe(200);
    expect(result.events.at(-1)?.event).toBe('message_stop');
    expect(seen.map((r) => r.fault)).toEqual(['overloaded-529', 'http-500', 'none']);
  });

  it('waits at least the retry-after of a 429 before retrying', async () => {
    stub.queueFaults('rate-limit-429');
    const { result, seen } = await counted(stub, () => postChat(worker.url, token, chatBody()));
    expect(result.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.receivedAt - seen[0]!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('passes a retry-after longer than the worker will wait straight on to the client', async () => {
    stub.setTiming({ retryAfterSeconds: 30 });
    stub.queueFaults('rate-limit-429');
    try {
      const { result, seen } = await counted(stub, () => postChat(worker.url, token, chatBody()));
      expect(result.headers.get('retry-after')).toBe('30');
      await expectError(result, 429, 'rate_limited');
      expect(seen).toHaveLength(1);
    } finally {
      stub.setTiming({ retryAfterSeconds: 1 });
    }
  });

  it('retries a connection reset', async () => {
    stub.queueFaults('reset');
    const { result, seen } = await counted(stub, () => postChat(worker.url, token, chatBody()));
    expect(result.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('gives up after the last retry with the upstream status in the error shape', async () => {
    stub.queueFaults('overloaded-529', 'overloaded-529', 'overloaded-529');
    const { result, seen } = await counted(stub, () => streamChat());
    const error = await expectError(result, 529, 'upstream_unavailable');
    expect(error.type).toBe('overloaded_error');
    expect(seen).toHaveLength(3);
    stub.queueFaults('reset', 'reset', 'reset');
    await expectError(await streamChat(), 502, 'upstream_unavailable');
  });

  it('logs the retries', async () => {
    stub.queueFaults('http-500');
    const response = await postChat(worker.url, token, chatBody(), { 'x-request-id': 'retry-log' });
    expect(response.status).toBe(200);
    await eventually(() => logLines(worker.output()).some((l) => l.requestId === 'retry-log'));
    const line = logLines(worker.output()).find((l) => l.requestId === 'retry-log')!;
    expect(line).toMatchObject({ retries: 1, attempts: 2, upstreamStatus: 200 });
  });
});

describe('timeouts', () => {
  it('times out slow response headers (connect) and slow first bytes, retrying each', async () => {
    stub.queueFaults('slow-headers');
    const once = await counted(stub, () => streamChat());
    expect(once.result.status).toBe(200);
    expect(once.seen).toHaveLength(2);
    stub.queueFaults('slow-first-byte', 'slow-first-byte', 'slow-first-byte');
    const { result, seen } = await counted(stub, () => streamChat());
    await expectError(result, 504, 'upstream_timeout');
    expect(seen).toHaveLength(3);
  });

  it('times out a non-streamed reply that takes too long', async () => {
    stub.queueFaults('slow-headers', 'slow-headers', 'slow-headers');
    await expectError(await postChat(worker.url, token, chatBody()), 504, 'upstream_timeout');
  });
});

describe('failures after the first byte', () => {
  const failing = async (
    fault: 'mid-stream-error' | 'reset-mid-stream' | 'stall-mid-stream' | 'end-early'
  ) => {
    stub.queueFaults(fault);
    const { result, seen } = await counted(stub, async () => {
      const response = await streamChat(chatBody({ stream: true }));
      return {
        status: response.status,
        id: response.headers.get('x-request-id'),
        events: parseEvents(await response.text())
      };
    });
    expect(result.status).toBe(200);
    expect(seen).toHaveLength(1); // never retried once the client has bytes
    expect(result.events[0]?.event).toBe('message_start');
    expect(streamedText(result.events).length).toBeGreaterThan(0);
    expect(result.events.some((e) => e.event === 'message_stop')).toBe(false);
    const last = result.events.at(-1)!;
    expect(last.event).toBe('error');
    const error = last.data as { type: string; error: Record<string, string> };
    expect(error.type).toBe('error');
    return { error, id: result.id };
  };

  it("passes an upstream error event on as the upstream sent it (the Messages API's format)", async () => {
    const { error } = await failing('mid-stream-error');
    expect(error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' }
    });
  });

  it('turns a reset, a stall and an early end into an error event in the one error shape', async () => {
    for (const [fault, says] of [
      ['reset-mid-stream', 'dropped mid-reply'],
      ['stall-mid-stream', 'stopped sending'],
      ['end-early', 'before it was complete']
    ] as const) {
      const { error, id } = await failing(fault);
      expect(error.error).toMatchObject({
        type: 'api_error',
        code: 'upstream_unavailable',
        requestId: id
      });
      expect(error.error.message).toContain(says);
    }
  });

  it('makes the official SDK throw instead of returning a truncated message', async () => {
    const client = new Anthropic({
      apiKey: token,
      baseURL: `${worker.url}/api/chat`,
      maxRetries: 0
    });
    for (const [fault, says] of [
      ['mid-stream-error', 'Overloaded'],
      ['reset-mid-stream', 'mid-reply']
    ] as const) {
      stub.queueFaults(fault);
      const stream = client.messages.stream({
        model: 'claude-haiku-5-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hello' }]
      });
      const err = await stream.finalMessage().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.APIError);
      expect(String((err as Error).message)).toContain(says);
    }
  });
});

describe('client abort', () => {
  it('cancels the upstream request when the client goes away mid-stream', async () => {
    const controller = new AbortController();
    const before = stub.requests.length;
    const response = await streamChat(
      chatBody({ stream: true, messages: [{ role: 'user', content: 'LONG please' }] }),
      controller.signal
    );
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await eventually(() => stub.requests[before]?.clientClosedEarly === true, 10_000);
  });
});

describe('circuit breaker', () => {
  const health = async () =>
    (
      (await (await fetch(`${breakerWorker.url}/api/health`)).json()) as {
        upstreams: { anthropic: { circuit: string } };
      }
    ).upstreams.anthropic.circuit;
  const ask = () => postChat(breakerWorker.url, breakerToken, chatBody());

  it('opens after consecutive failures, refuses without calling, probes half-open, closes', async () => {
    expect(await health()).toBe('closed');
    breakerStub.setFault('http-500');
    await expectError(await ask(), 502, 'upstream_error');
    await expectError(await ask(), 502, 'upstream_error');
    expect(await health()).toBe('open');
    const before = breakerStub.requests.length;
    const refused = await ask();
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectError(refused, 503, 'circuit_open');
    expect(breakerStub.requests.length).toBe(before);
    // A failed probe reopens it at once.
    await eventually(async () => (await health()) === 'half-open');
    await expectError(await ask(), 502, 'upstream_error');
    expect(await health()).toBe('open');
    breakerStub.setFault('none');
    await eventually(async () => (await health()) === 'half-open');
    expect((await ask()).status).toBe(200);
    expect(await health()).toBe('closed');
  });
});

describe('debug logging', () => {
  it('adds message and reply text to the log line only when LOG_DEBUG=1, never the key', async () => {
    const response = await postChat(
      breakerWorker.url,
      breakerToken,
      chatBody({ stream: true, messages: [{ role: 'user', content: 'Debug me: mitochondria' }] }),
      { 'x-request-id': 'debug-line' }
    );
    expect(response.status).toBe(200);
    await response.text();
    await eventually(() =>
      logLines(breakerWorker.output()).some((l) => l.requestId === 'debug-line')
    );
    const line = logLines(breakerWorker.output()).find((l) => l.requestId === 'debug-line')!;
    expect(String(line.content)).toContain('Debug me: mitochondria');
    expect(String(line.content)).toContain('Stub partner heard');
    expect(breakerWorker.output()).not.toContain(KEY);
    // The other worker has no debug flag: no content in any of its lines.
    expect(logLines(worker.output()).some((l) => 'content' in l)).toBe(false);
  });
});
