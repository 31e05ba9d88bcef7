/**
 * The worker on the real workerd runtime (`wrangler dev`), against a loopback stand-in of the
 * Anthropic Messages API. Also the contract test: the official SDK, pointed at the worker with the
 * app's access token, works unchanged.
 */
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicStub, type AnthropicStub } from '../stubs/anthropic-stub';
import { repoRoot, startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev';

const UPSTREAM_KEY = 'sk-ant-test-upstream-key-0123456789';
const ACCESS_TOKEN = 'device-token-for-tests-9876543210';
const version = (
  JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { version: string }
).version;

let stub: AnthropicStub;
let configured: WranglerDev;
let bare: WranglerDev;

beforeAll(async () => {
  stub = await startAnthropicStub({ apiKey: UPSTREAM_KEY });
  [configured, bare] = await Promise.all([
    startWranglerDev({
      ANTHROPIC_API_KEY: UPSTREAM_KEY,
      ANTHROPIC_BASE_URL: stub.url,
      ACCESS_TOKEN,
      MAX_TOKENS_CAP: '300'
    }),
    startWranglerDev({})
  ]);
});

afterAll(async () => {
  await Promise.all([configured?.close(), bare?.close()]);
  await stub?.close();
});

const chatBody = (extra: Record<string, unknown> = {}) => ({
  max_tokens: 1000,
  messages: [{ role: 'user', content: 'Photosynthesis turns light into chemical energy.' }],
  ...extra
});

function postChat(base: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${ACCESS_TOKEN}`,
      ...headers
    },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  });
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as {
    type: string;
    error: { type: string; code: string; message: string; requestId: string };
  };
  expect(body.type).toBe('error');
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  return body.error;
}

describe('GET /api/health', () => {
  it('reports version and configured upstreams, echoing the request id, with no secret', async () => {
    const response = await fetch(`${configured.url}/api/health`, {
      headers: { 'x-request-id': 'abc-123' }
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: 'ok',
      version,
      upstreams: {
        anthropic: { configured: true, defaultModel: 'claude-haiku-5-5' },
        transcription: { configured: false }
      },
      accessTokenRequired: true
    });
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(text).not.toContain(ACCESS_TOKEN);
  });

  it('says when nothing is configured (the embedded default)', async () => {
    const body = (await (await fetch(`${bare.url}/api/health`)).json()) as {
      upstreams: { anthropic: { configured: boolean } };
      accessTokenRequired: boolean;
    };
    expect(body.upstreams.anthropic.configured).toBe(false);
    expect(body.accessTokenRequired).toBe(false);
  });
});

describe('POST /api/chat', () => {
  it('streams the Messages API SSE through, injecting the key, default model and max_tokens cap', async () => {
    const before = stub.requests.length;
    const response = await postChat(configured.url, chatBody({ stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await response.text();
    const events = [...raw.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    const text = [...raw.matchAll(/^data: (.*)$/gm)]
      .map((m) => JSON.parse(m[1]!) as { type: string; delta?: { text?: string } })
      .filter((d) => d.type === 'content_block_delta')
      .map((d) => d.delta?.text)
      .join('');
    expect(text).toContain('Stub partner heard: "Photosynthesis turns light into chemica');
    const seen = stub.requests.slice(before);
    expect(seen).toHaveLength(1);
    const presented = seen[0]!.headers['x-api-key'] ?? seen[0]!.headers.authorization;
    expect(presented).toMatch(new RegExp(`^(Bearer )?${UPSTREAM_KEY}$`));
    expect(JSON.stringify(seen[0]!.headers)).not.toContain(ACCESS_TOKEN);
    expect(seen[0]!.body.model).toBe('claude-haiku-5-5');
    expect(seen[0]!.body.max_tokens).toBe(300);
  });

  it('answers non-streaming requests with the message JSON', async () => {
    const response = await postChat(configured.url, chatBody());
    expect(response.status).toBe(200);
    const message = (await response.json()) as { type: string; content: { text: string }[] };
    expect(message.type).toBe('message');
    expect(message.content[0]!.text).toContain('Stub partner heard');
  });

  it('refuses calls without a valid access token', async () => {
    await expectError(
      await postChat(configured.url, chatBody(), { authorization: '' }),
      401,
      'unauthorized'
    );
    await expectError(
      await postChat(configured.url, chatBody(), { authorization: 'Bearer wrong' }),
      401,
      'unauthorized'
    );
  });

  it('validates the body against the shared contract', async () => {
    await expectError(
      await postChat(configured.url, chatBody({ tools: [] })),
      400,
      'invalid_request'
    );
    await expectError(
      await postChat(configured.url, { max_tokens: 10, messages: [] }),
      400,
      'invalid_request'
    );
    await expectError(await postChat(configured.url, '{not json'), 400, 'invalid_json');
    await expectError(
      await postChat(configured.url, chatBody(), { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type'
    );
    await expectError(
      await postChat(configured.url, chatBody({ model: 'claude-opus-5' })),
      400,
      'model_not_allowed'
    );
    const huge = chatBody({ messages: [{ role: 'user', content: 'x'.repeat(600 * 1024) }] });
    await expectError(await postChat(configured.url, huge), 413, 'payload_too_large');
  });

  it('says plainly when no Anthropic key is configured', async () => {
    await expectError(
      await postChat(bare.url, chatBody({ stream: true })),
      503,
      'upstream_not_configured'
    );
  });

  it('answers unknown API routes with the error shape', async () => {
    await expectError(await fetch(`${configured.url}/api/nope`), 404, 'not_found');
  });

  it('relays an upstream error event mid-stream instead of truncating silently', async () => {
    stub.setFault('mid-stream-error');
    try {
      const raw = await (await postChat(configured.url, chatBody({ stream: true }))).text();
      expect(raw).toMatch(/^event: error$/m);
      expect(raw).not.toMatch(/^event: message_stop$/m);
    } finally {
      stub.setFault('none');
    }
  });

  it('maps an upstream outage to a 5xx error shape', async () => {
    stub.setFault('reset');
    try {
      await expectError(await postChat(configured.url, chatBody()), 502, 'upstream_unavailable');
    } finally {
      stub.setFault('none');
    }
  });

  it('never writes a secret to its log output', () => {
    const output = configured.output();
    expect(output).toContain('/api/chat');
    expect(output).not.toContain(UPSTREAM_KEY);
    expect(output).not.toContain(ACCESS_TOKEN);
  });
});

describe('official @anthropic-ai/sdk as a client of the worker', () => {
  const client = () =>
    new Anthropic({ apiKey: ACCESS_TOKEN, baseURL: `${configured.url}/api/chat`, maxRetries: 0 });

  it('streams a reply', async () => {
    const stream = client().messages.stream({
      model: 'claude-haiku-5-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Explain recursion briefly.' }]
    });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const message = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(3);
    expect(message.content[0]?.type === 'text' && message.content[0].text).toBe(deltas.join(''));
    expect(message.stop_reason).toBe('end_turn');
  });

  it('gets a non-streaming reply', async () => {
    const message = await client().messages.create({
      model: 'claude-haiku-5-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'What is a closure?' }]
    });
    expect(message.content[0]?.type).toBe('text');
  });

  it('maps worker errors to the SDK error classes', async () => {
    const bad = new Anthropic({
      apiKey: 'wrong-token',
      baseURL: `${configured.url}/api/chat`,
      maxRetries: 0
    });
    await expect(
      bad.messages.create({
        model: 'claude-haiku-5-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }]
      })
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
