/** Shared helpers of the worker tests: pairing, chat calls, the error shape, SSE parsing. */
import { expect } from 'vitest';

/** A user's chat body (Messages API). */
export const chatBody = (extra: Record<string, unknown> = {}) => ({
  max_tokens: 1000,
  messages: [{ role: 'user', content: 'Photosynthesis turns light into chemical energy.' }],
  ...extra
});

/** Every response body the tests saw, to check that no secret is ever in one. */
export const seenResponses: string[] = [];

/** fetch that keeps a copy of status line, headers and body for the secret checks. */
export async function recordedFetch(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  const copy = response.clone();
  const head = JSON.stringify([...copy.headers]);
  if (!(copy.headers.get('content-type') ?? '').includes('event-stream')) {
    seenResponses.push(`${copy.status} ${head} ${await copy.text()}`);
  } else {
    seenResponses.push(`${copy.status} ${head}`);
  }
  return response;
}

/** Pairs a device with the pairing secret; returns its token. */
export async function pairDevice(base: string, secret: string, ip?: string): Promise<string> {
  const response = await recordedFetch(`${base}/api/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ip ? { 'cf-connecting-ip': ip } : {}) },
    body: JSON.stringify({ secret, deviceName: 'vitest' })
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

/** POSTs a chat request with a device token (override headers to test auth). */
export function postChat(
  base: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal
) {
  return recordedFetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal
  });
}

/** Asserts the one error shape with a status and code; returns the error object. */
export async function expectError(response: Response, status: number, code: string) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const body = JSON.parse(text) as {
    type: string;
    error: { type: string; code: string; message: string; requestId: string };
  };
  expect(body.type).toBe('error');
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  return body.error;
}

/** One parsed SSE event. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Parses a whole SSE body into events. */
export function parseEvents(raw: string): SseEvent[] {
  return raw
    .split(/\n\n/)
    .filter((block) => block.trim())
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? '',
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>
    }));
}

/** The text of the content deltas of a stream. */
export function streamedText(events: SseEvent[]): string {
  return events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (e.data.delta as { text?: string }).text ?? '')
    .join('');
}

/** Polls until `check` returns true (for effects that land asynchronously); fails after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The JSON log lines a worker printed. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .map((line) => /(\{"level".*\})/.exec(line)?.[1])
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
