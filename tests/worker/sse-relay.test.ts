/** The SSE relay in Node, fed by a byte stream standing in for the upstream body: the client gets
 * the bytes untouched, the usage is read from the copy, and every way a stream can end short ends
 * with an error event. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { splitStream, type UpstreamResult } from '../../worker/src/lib/upstream/fetch-upstream';
import { ClientAborted, TimeoutReason } from '../../worker/src/lib/upstream/retry';
import { relaySse } from '../../worker/src/lib/upstream/sse-relay';
import { parseEvents } from './helpers';

const enc = new TextEncoder();
const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const start = event('message_start', {
  type: 'message_start',
  message: { usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } }
});
const delta = (text: string) =>
  event('content_block_delta', { type: 'content_block_delta', delta: { text } });
const end =
  event('message_delta', { type: 'message_delta', usage: { output_tokens: 7 } }) +
  event('message_stop', { type: 'message_stop' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Feed {
  /** Pause before each chunk. */
  gapMs?: number;
  /** How the upstream ends after its chunks: as a whole, with a reset, or not at all. */
  ending?: 'close' | 'reset' | 'stall';
  idleTimeoutMs?: number;
  collectText?: boolean;
}

/** Streams `chunks` through the relay as an upstream body would come (a byte stream, split the
 * way fetchUpstream splits it); returns what the client got, the summary and how it was aborted. */
async function relayBytes(chunks: Uint8Array[], feed: Feed = {}) {
  const { upstream, aborted } = await fakeUpstream(chunks, feed);
  const { body, done } = relaySse(upstream, {
    requestId: 'req-1',
    idleTimeoutMs: feed.idleTimeoutMs ?? 5000,
    collectText: feed.collectText ?? false
  });
  const text = await new Response(body).text();
  return { text, summary: await done, aborted: aborted() };
}

const relay = (chunks: string[], feed?: Feed) =>
  relayBytes(
    chunks.map((c) => enc.encode(c)),
    feed
  );

async function fakeUpstream(chunks: Uint8Array[], feed: Feed) {
  const controller = new AbortController();
  let sent = 0;
  const source = new ReadableStream({
    type: 'bytes',
    start(c) {
      // As with fetch, aborting the request errors its body.
      controller.signal.addEventListener('abort', () => c.error(controller.signal.reason));
      void (async () => {
        for (const chunk of chunks) {
          if (feed.gapMs) await sleep(feed.gapMs);
          if (controller.signal.aborted) return;
          c.enqueue(chunk.slice());
          sent++;
        }
        if (feed.gapMs) await sleep(feed.gapMs);
        if (feed.ending === 'reset') c.error(new TypeError('connection reset'));
        else if (feed.ending !== 'stall') c.close();
      })();
    }
  });
  const upstream: UpstreamResult = {
    status: 200,
    headers: new Headers(),
    attempts: 1,
    upstreamMs: 0,
    stream: await splitStream(source),
    abort: (reason) => controller.abort(reason),
    signal: controller.signal
  };
  return {
    upstream,
    aborted: (): unknown => (controller.signal.aborted ? controller.signal.reason : null),
    sent: () => sent
  };
}

/** The error event the relay appended, and what came before it. */
function appended(text: string): { before: string; error: Record<string, unknown> } {
  const at = text.lastIndexOf('event: error\n');
  expect(at).toBeGreaterThan(0);
  const [last] = parseEvents(text.slice(at));
  return { before: text.slice(0, at), error: last!.data.error as Record<string, unknown> };
}

afterEach(() => vi.restoreAllMocks());

describe('SSE relay', () => {
  it('passes the bytes on untouched, across any chunking, and reads the usage', async () => {
    const whole = start + delta('Hello ') + delta('world') + end;
    for (const size of [1, 7, 64, whole.length]) {
      const chunks = whole.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      const { text, summary } = await relay(chunks);
      expect(text).toBe(whole);
      expect(summary).toMatchObject({ outcome: 'complete', inputTokens: 15, outputTokens: 7 });
    }
  });

  it('reads the usage and the text across characters split between chunks', async () => {
    const whole = start + delta('Grüße, ') + delta('naïve ') + delta('café') + end;
    const bytes = enc.encode(whole);
    const cuts = [...bytes.keys()].filter((i) => bytes[i] === 0xc3).map((i) => i + 1);
    const parts = [0, ...cuts].map((from, i) => bytes.slice(from, cuts[i] ?? bytes.length));
    const { text, summary } = await relayBytes(parts, { collectText: true });
    expect(text).toBe(whole);
    expect(summary).toMatchObject({
      outcome: 'complete',
      outputTokens: 7,
      text: 'Grüße, naïve café'
    });
  });

  it('passes an upstream error event on as the upstream sent it, and appends nothing', async () => {
    const error = event('error', {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' }
    });
    const whole = start + delta('Hi') + error;
    const { text, summary } = await relay([whole.slice(0, whole.length - 30), whole.slice(-30)]);
    expect(text).toBe(whole);
    expect(summary).toMatchObject({ outcome: 'error_event', inputTokens: 15 });
  });

  it('reads CRLF streams and a last event without its blank line', async () => {
    const crlf = (start + delta('Hi') + end).trimEnd().replaceAll('\n', '\r\n');
    const { text, summary } = await relay([crlf.slice(0, 50), crlf.slice(50)]);
    expect(text).toBe(crlf);
    expect(summary).toMatchObject({ outcome: 'complete', inputTokens: 15, outputTokens: 7 });
  });

  it('appends an error event in the one error shape to a stream that ends early', async () => {
    const { text, summary } = await relay([start, delta('Half a')], { collectText: true });
    const { before, error } = appended(text);
    expect(before).toBe(start + delta('Half a') + '\n\n');
    expect(error).toMatchObject({
      type: 'api_error',
      code: 'upstream_unavailable',
      requestId: 'req-1',
      message: 'The AI service ended the reply before it was complete.'
    });
    expect(summary).toMatchObject({ outcome: 'error_event', text: 'Half a', inputTokens: 15 });
    expect((await relay([start, delta('x'), end])).summary.text).toBe('');
  });

  it('closes off an event the connection dropped inside before the error event', async () => {
    const partial = 'event: content_block_delta\ndata: {"type":"content_bl';
    const { text, summary } = await relay([start, delta('Hi'), partial], {
      ending: 'reset',
      gapMs: 5
    });
    const { before, error } = appended(text);
    expect(before).toBe(start + delta('Hi') + partial + '\n\n');
    expect(error.message).toBe('The connection to the AI service dropped mid-reply.');
    expect(summary.outcome).toBe('error_event');
  });

  it('times out a stalled stream: aborts the upstream and says so', async () => {
    const { text, summary, aborted } = await relay([start, delta('Hi')], {
      ending: 'stall',
      idleTimeoutMs: 40
    });
    expect(aborted).toBeInstanceOf(TimeoutReason);
    expect(appended(text).error.message).toBe('The AI service stopped sending mid-reply.');
    expect(summary.outcome).toBe('error_event');
  });

  it('does not time out a stream that keeps coming, however slowly the chunks add up', async () => {
    const chunks = [start, ...Array.from({ length: 8 }, () => delta('tick ')), end];
    const { summary, aborted } = await relay(chunks, { gapMs: 25, idleTimeoutMs: 60 });
    expect(aborted).toBeNull();
    expect(summary).toMatchObject({ outcome: 'complete', outputTokens: 7 });
  });

  it('cancels the upstream when the client leaves', async () => {
    const { upstream, aborted, sent } = await fakeUpstream(
      [start, ...Array.from({ length: 200 }, () => delta('more '))].map((c) => enc.encode(c)),
      { gapMs: 5 }
    );
    const { body, done } = relaySse(upstream, {
      requestId: 'req-1',
      idleTimeoutMs: 5000,
      collectText: false
    });
    const reader = body.getReader();
    await reader.read();
    await reader.cancel();
    expect((await done).outcome).toBe('client_aborted');
    expect(aborted()).toBeInstanceOf(ClientAborted);
    expect(sent()).toBeLessThan(100);
  });

  it('reads the copy in a few reads, not chunk by chunk', async () => {
    const read = vi.spyOn(ReadableStreamBYOBReader.prototype, 'read');
    const chunks = [start, ...Array.from({ length: 60 }, () => delta('word ')), end];
    const { summary } = await relay(chunks, { gapMs: 1 });
    expect(summary.outcome).toBe('complete');
    // Everything queued comes in one read: here the final one and the one that sees the end,
    // plus one a second while the stream flows (this one takes well under a second).
    expect(read.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(read.mock.calls.length).toBeLessThanOrEqual(4);
  });
});
