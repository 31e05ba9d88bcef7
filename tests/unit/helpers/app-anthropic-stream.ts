/** A realistic Anthropic Messages API streaming transcript, and stream helpers (test-only). */

/** The text deltas of the transcript, in order; they include multi-byte UTF-8 characters. */
export const DELTAS = [
  'Great',
  ' question! When you say "photosynthesis", ',
  'which part feels clearest — the light reactions or the Calvin cycle? ',
  'Grüße, 日本語 and 🌱 are fine too.'
];

export const MODEL = 'claude-sonnet-4-5-20250929';

const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/** The full `text/event-stream` body, '\n' line endings, exactly as the API frames it. */
export function anthropicStream(deltas: readonly string[] = DELTAS, model = MODEL): string {
  return [
    event('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
        type: 'message',
        role: 'assistant',
        content: [],
        model,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 472, output_tokens: 2 }
      }
    }),
    event('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' }
    }),
    'event: ping\ndata: {"type": "ping"}\n\n',
    ...deltas.map((text) =>
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text }
      })
    ),
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 41 }
    }),
    event('message_stop', { type: 'message_stop' })
  ].join('');
}

/** The event types of {@link anthropicStream}, in order. */
export function anthropicEventTypes(deltaCount = DELTAS.length): string[] {
  return [
    'message_start',
    'content_block_start',
    'ping',
    ...Array<string>(deltaCount).fill('content_block_delta'),
    'content_block_stop',
    'message_delta',
    'message_stop'
  ];
}

/** A byte stream that delivers `chunks` one read at a time. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    }
  });
}

/** `bytes` cut at the given offsets. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.slice(points[i], end));
}
