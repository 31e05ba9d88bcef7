import { describe, expect, it } from 'vitest';
import { parseSse, type SseEvent } from '$lib/agent/sse';
import {
  anthropicEventTypes,
  anthropicStream,
  DELTAS,
  MODEL,
  splitAt,
  streamOf
} from './helpers/app-anthropic-stream';
import { seededRandom } from './helpers/app-signal';

const encoder = new TextEncoder();

async function collect(chunks: readonly Uint8Array[]): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of parseSse(streamOf(chunks))) events.push(event);
  return events;
}

const parseText = (text: string) => collect([encoder.encode(text)]);

/** Checks the events of {@link anthropicStream}: types, JSON payloads and the text. */
function expectAnthropicEvents(events: SseEvent[]): void {
  expect(events.map((e) => e.event)).toEqual(anthropicEventTypes());
  const payloads = events.map(
    (e) => JSON.parse(e.data) as { type: string; [key: string]: unknown }
  );
  expect(payloads.map((p) => p.type)).toEqual(anthropicEventTypes());
  expect((payloads[0]?.message as { model: string }).model).toBe(MODEL);
  const text = payloads
    .filter((p) => p.type === 'content_block_delta')
    .map((p) => (p.delta as { text: string }).text)
    .join('');
  expect(text).toBe(DELTAS.join(''));
}

describe('parseSse on an Anthropic Messages stream', () => {
  const body = encoder.encode(anthropicStream());

  it('contains multi-byte characters, so byte splits can cut through them', () => {
    expect(body.length).toBeGreaterThan(anthropicStream().length);
  });

  it('parses the stream delivered in one chunk', async () => {
    expectAnthropicEvents(await collect([body]));
  });

  it('parses the stream split in two at every byte boundary', async () => {
    for (let cut = 0; cut <= body.length; cut++) {
      expectAnthropicEvents(await collect(splitAt(body, [cut])));
    }
  });

  it('parses the stream delivered one byte at a time', async () => {
    expectAnthropicEvents(
      await collect(
        splitAt(
          body,
          Array.from({ length: body.length - 1 }, (_, i) => i + 1)
        )
      )
    );
  });

  it('parses the stream cut at random points', async () => {
    const random = seededRandom(42);
    for (let round = 0; round < 50; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 20) }, () =>
        Math.floor(random() * body.length)
      ).sort((a, b) => a - b);
      expectAnthropicEvents(await collect(splitAt(body, cuts)));
    }
  });

  for (const [name, ending] of [
    ['CRLF', '\r\n'],
    ['CR', '\r']
  ] as const) {
    it(`parses ${name} line endings split at every byte boundary`, async () => {
      const bytes = encoder.encode(anthropicStream().replace(/\n/g, ending));
      for (let cut = 0; cut <= bytes.length; cut++) {
        expectAnthropicEvents(await collect(splitAt(bytes, [cut])));
      }
    });
  }

  it('decodes a multi-byte character split across chunks', async () => {
    const emoji = encoder.encode('data: 🌱é日\n\n');
    // Cut inside the 4-byte emoji, inside é and inside 日.
    const events = await collect(splitAt(emoji, [7, 9, 12, 14]));
    expect(events).toEqual([{ event: 'message', data: '🌱é日' }]);
  });
});

describe('parseSse framing rules', () => {
  it('joins multi-line data with newlines', async () => {
    expect(await parseText('data: first\ndata: second\ndata:\ndata: fourth\n\n')).toEqual([
      { event: 'message', data: 'first\nsecond\n\nfourth' }
    ]);
  });

  it('ignores comment lines', async () => {
    expect(
      await parseText(': keep-alive\nevent: a\n:another comment\ndata: x\n\n: tail\n\n')
    ).toEqual([{ event: 'a', data: 'x' }]);
  });

  it('ignores an event without data and does not carry its type over', async () => {
    expect(await parseText('event: ping\n\ndata: after\n\n')).toEqual([
      { event: 'message', data: 'after' }
    ]);
  });

  it('defaults the event type to "message"', async () => {
    expect(await parseText('data: hi\n\n')).toEqual([{ event: 'message', data: 'hi' }]);
  });

  it('removes exactly one space after the colon', async () => {
    expect(await parseText('data:tight\n\ndata:  two spaces\n\n')).toEqual([
      { event: 'message', data: 'tight' },
      { event: 'message', data: ' two spaces' }
    ]);
  });

  it('treats a field name without a colon as an empty value', async () => {
    expect(await parseText('data\n\n')).toEqual([{ event: 'message', data: '' }]);
  });

  it('keeps colons inside the value', async () => {
    expect(await parseText('data: {"a":"b:c"}\n\n')).toEqual([
      { event: 'message', data: '{"a":"b:c"}' }
    ]);
  });

  it('ignores unknown fields such as id and retry', async () => {
    expect(await parseText('id: 7\nretry: 1000\nfoo: bar\nevent: e\ndata: d\n\n')).toEqual([
      { event: 'e', data: 'd' }
    ]);
  });

  it('accepts mixed line endings in one stream', async () => {
    expect(await parseText('event: a\r\ndata: 1\r\rdata: 2\n\r\n')).toEqual([
      { event: 'a', data: '1' },
      { event: 'message', data: '2' }
    ]);
  });

  it('does not dispatch a final event that has no blank line after it', async () => {
    expect(await parseText('data: complete\n\ndata: incomplete\n')).toEqual([
      { event: 'message', data: 'complete' }
    ]);
  });

  it('dispatches a last event ended by a lone CR at the very end of the stream', async () => {
    expect(await parseText('data: one\r\rdata: two\r\r')).toEqual([
      { event: 'message', data: 'one' },
      { event: 'message', data: 'two' }
    ]);
  });

  it('skips a leading byte order mark', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data: x\n\n')]);
    expect(await collect([bytes])).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('yields nothing for an empty stream', async () => {
    expect(await collect([])).toEqual([]);
  });

  it('yields events as they arrive, before the stream ends', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('data: early\n\n'));
        await gate;
        controller.enqueue(encoder.encode('data: late\n\n'));
        controller.close();
      }
    });
    const iterator = parseSse(stream);
    const first = await iterator.next();
    expect(first.value).toEqual({ event: 'message', data: 'early' });
    release();
    expect((await iterator.next()).value).toEqual({ event: 'message', data: 'late' });
    expect((await iterator.next()).done).toBe(true);
  });
});
