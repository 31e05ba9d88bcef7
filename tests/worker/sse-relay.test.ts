/** The SSE relay in Node, fed chunk by chunk: what it passes on untouched, what it rewrites, and
 * the usage it reads on the way. */
import { describe, expect, it } from 'vitest';
import type { UpstreamResult } from '../../worker/src/lib/upstream/fetch-upstream';
import { relaySse, type StreamSummary } from '../../worker/src/lib/upstream/sse-relay';
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

/** Relays `chunks` (the first as the already-read first chunk); returns the text and summary. */
function relay(chunks: string[], collectText = false) {
  return relayBytes(
    chunks.map((c) => enc.encode(c)),
    collectText
  );
}

/** {@link relay} of byte chunks, which may split a character. */
async function relayBytes(
  chunks: Uint8Array[],
  collectText = false
): Promise<{ text: string; summary: StreamSummary }> {
  const [first, ...rest] = chunks;
  const controller = new AbortController();
  const upstream: UpstreamResult = {
    status: 200,
    headers: new Headers(),
    attempts: 1,
    upstreamMs: 0,
    first,
    reader: new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of rest) c.enqueue(chunk);
        c.close();
      }
    }).getReader(),
    abort: (reason) => controller.abort(reason),
    signal: controller.signal
  };
  const { body, done } = relaySse(upstream, {
    requestId: 'req-1',
    idleTimeoutMs: 5000,
    collectText
  });
  const text = await new Response(body).text();
  return { text, summary: await done };
}

describe('SSE relay', () => {
  it('passes events on byte for byte, across any chunking, and reads the usage', async () => {
    const whole = start + delta('Hello ') + delta('world') + end;
    for (const size of [1, 7, 64, whole.length]) {
      const chunks = whole.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      const { text, summary } = await relay(chunks);
      expect(text).toBe(whole);
      expect(summary).toMatchObject({ outcome: 'complete', inputTokens: 15, outputTokens: 7 });
    }
  });

  it('relays whole delta chunks as they came, also next to characters split between chunks', async () => {
    const whole = start + delta('Grüße, ') + delta('naïve ') + delta('café') + end;
    const bytes = enc.encode(whole);
    const cut = bytes.indexOf(0xc3) + 1; // inside the first two-byte character
    const eventEnds = [...whole.matchAll(/\n\n/g)].map(
      (m) => enc.encode(whole.slice(0, m.index)).length + 2
    );
    const ends = [cut, ...eventEnds].sort((a, b) => a - b);
    const parts = ends.map((end, i) => bytes.slice(i ? ends[i - 1] : 0, end));
    const decoder = new TextDecoder();
    const text = parts.map((p) => decoder.decode(p, { stream: true })).join('');
    expect(text).toBe(whole);
    const { text: relayed, summary } = await relayBytes(parts);
    expect(relayed).toBe(whole);
    expect(summary).toMatchObject({ outcome: 'complete', inputTokens: 15, outputTokens: 7 });
  });

  it('rewrites an upstream error event split across chunks into the error shape', async () => {
    const error = event('error', {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' }
    });
    const { text, summary } = await relay([
      start + delta('Hi') + error.slice(0, 9),
      error.slice(9)
    ]);
    const events = parseEvents(text);
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_delta', 'error']);
    expect(events[2]!.data).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', code: 'upstream_unavailable', requestId: 'req-1' }
    });
    expect(text).not.toContain('"message":"Overloaded"');
    expect(summary.outcome).toBe('error_event');
  });

  it('reads CRLF streams and a last event without its blank line', async () => {
    const crlf = (start + delta('Hi') + end).trimEnd().replaceAll('\n', '\r\n');
    const { text, summary } = await relay([crlf.slice(0, 50), crlf.slice(50)]);
    expect(parseEvents(text).map((e) => e.event)).toEqual([
      'message_start',
      'content_block_delta',
      'message_delta',
      'message_stop'
    ]);
    expect(summary).toMatchObject({ outcome: 'complete', inputTokens: 15, outputTokens: 7 });
  });

  it('ends a stream cut short with an error event, and collects text only when asked', async () => {
    const { text, summary } = await relay([start, delta('Half a')], true);
    const events = parseEvents(text);
    expect(events.at(-1)!.event).toBe('error');
    expect(events.at(-1)!.data).toMatchObject({ error: { code: 'upstream_unavailable' } });
    expect(summary).toMatchObject({ outcome: 'error_event', text: 'Half a', inputTokens: 15 });
    expect((await relay([start, delta('x'), end])).summary.text).toBe('');
  });
});
