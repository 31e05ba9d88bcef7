/**
 * The worker on the real workerd runtime (`wrangler dev`), against a loopback stand-in of the
 * Anthropic Messages API: health, pairing and device tokens, chat policy and validation, CORS,
 * observability, secrets. Also the contract test: the official SDK, pointed at the worker with a
 * device token as its key, works unchanged.
 */
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, signingKey } from '../../worker/src/lib/tokens';
import { startAnthropicStub, type AnthropicStub } from '../stubs/anthropic-stub';
import { repoRoot, startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev';
import {
  chatBody,
  expectError,
  logLines,
  pairDevice,
  parseEvents,
  postChat,
  recordedFetch,
  seenResponses,
  streamedText
} from './helpers';

const UPSTREAM_KEY = 'sk-ant-test-upstream-key-0123456789';
const PAIRING_SECRET = 'pairing-secret-for-tests-9876543210';
const ALLOWED_ORIGIN = 'https://app.example.org';
const version = (
  JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { version: string }
).version;

let stub: AnthropicStub;
let configured: WranglerDev;
let bare: WranglerDev;
let keysOnly: WranglerDev;
let token: string;

beforeAll(async () => {
  stub = await startAnthropicStub({ apiKey: UPSTREAM_KEY });
  [configured, bare, keysOnly] = await Promise.all([
    startWranglerDev(
      {
        ANTHROPIC_API_KEY: UPSTREAM_KEY,
        ANTHROPIC_BASE_URL: stub.url,
        PAIRING_SECRET,
        MAX_TOKENS_CAP: '300',
        CORS_ORIGINS: ALLOWED_ORIGIN
        // The Analytics Engine binding (Miniflare runs it locally): writing datapoints must not fail.
      },
      { extraConfig: '[[analytics_engine_datasets]]\nbinding = "ANALYTICS"\ndataset = "lva"' }
    ),
    startWranglerDev({}),
    startWranglerDev({ ANTHROPIC_API_KEY: UPSTREAM_KEY, ANTHROPIC_BASE_URL: stub.url })
  ]);
  token = await pairDevice(configured.url, PAIRING_SECRET);
});

afterAll(async () => {
  await Promise.all([configured?.close(), bare?.close(), keysOnly?.close()]);
  await stub?.close();
});

describe('GET /api/health', () => {
  it('reports version, upstreams, circuits and pairing, echoing the request id, with no secret', async () => {
    const response = await recordedFetch(`${configured.url}/api/health`, {
      headers: { 'x-request-id': 'abc-123' }
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    expect(JSON.parse(await response.text())).toEqual({
      status: 'ok',
      version,
      upstreams: {
        anthropic: { configured: true, defaultModel: 'claude-haiku-5-5', circuit: 'closed' },
        transcription: { configured: false, model: 'whisper-1', circuit: 'closed' }
      },
      accessTokenRequired: true,
      pairing: { configured: true }
    });
  });

  it('says when nothing is configured (the embedded default)', async () => {
    const body = (await (await recordedFetch(`${bare.url}/api/health`)).json()) as {
      upstreams: { anthropic: { configured: boolean } };
      accessTokenRequired: boolean;
      pairing: { configured: boolean };
    };
    expect(body.upstreams.anthropic.configured).toBe(false);
    expect(body.accessTokenRequired).toBe(false);
    expect(body.pairing.configured).toBe(false);
  });
});

describe('pairing and device tokens', () => {
  it('refuses a wrong pairing secret and unknown fields', async () => {
    const wrong = await recordedFetch(`${configured.url}/api/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' },
      body: JSON.stringify({ secret: 'guess' })
    });
    await expectError(wrong, 401, 'pairing_secret_invalid');
    const extra = await recordedFetch(`${configured.url}/api/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' },
      body: JSON.stringify({ secret: PAIRING_SECRET, admin: true })
    });
    await expectError(extra, 400, 'invalid_request');
  });

  it('issues a signed, expiring token that opens /api/device and can be renewed', async () => {
    const response = await recordedFetch(`${configured.url}/api/device`, {
      headers: { authorization: `Bearer ${token}` }
    });
    expect(response.status).toBe(200);
    const status = (await response.json()) as { deviceId: string; expiresAt: string };
    const days = (Date.parse(status.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
    const renewed = await recordedFetch(`${configured.url}/api/pair/renew`, {
      method: 'POST',
      headers: { 'x-api-key': token }
    });
    expect(renewed.status).toBe(200);
    const fresh = (await renewed.json()) as { token: string; deviceId: string };
    expect(fresh.deviceId).toBe(status.deviceId);
  });

  it('answers no token, a bad token, a foreign-signed token and an expired token with 401', async () => {
    const bad = await postChat(configured.url, token, chatBody(), { authorization: '' });
    await expectError(bad, 401, 'unauthorized');
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectError(
      await postChat(configured.url, `${token.slice(0, -4)}AAAA`, chatBody()),
      401,
      'unauthorized'
    );
    // A token signed with another secret: what every old token becomes once the owner rotates it.
    const rotatedKey = (await signingKey({ PAIRING_SECRET: 'the-next-secret' }))!;
    const rotated = await issueToken(rotatedKey, 'device-x', 3600);
    await expectError(
      await postChat(configured.url, rotated.token, chatBody()),
      401,
      'unauthorized'
    );
    const key = (await signingKey({ PAIRING_SECRET }))!;
    const expired = await issueToken(key, 'device-y', -60);
    await expectError(
      await postChat(configured.url, expired.token, chatBody()),
      401,
      'token_expired'
    );
  });

  it('never relays when keys are configured but pairing is not', async () => {
    const health = (await (await recordedFetch(`${keysOnly.url}/api/health`)).json()) as {
      accessTokenRequired: boolean;
    };
    expect(health.accessTokenRequired).toBe(true);
    await expectError(
      await postChat(keysOnly.url, 'anything', chatBody()),
      503,
      'pairing_not_configured'
    );
    const pair = await recordedFetch(`${keysOnly.url}/api/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: 'anything' })
    });
    await expectError(pair, 503, 'pairing_not_configured');
  });
});

describe('POST /api/chat', () => {
  it('streams the Messages API SSE through, injecting the key, default model and max_tokens cap', async () => {
    const before = stub.requests.length;
    const response = await postChat(configured.url, token, chatBody({ stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseEvents(await response.text());
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(streamedText(events)).toContain(
      'Stub partner heard: "Photosynthesis turns light into chemica'
    );
    const seen = stub.requests.slice(before);
    expect(seen).toHaveLength(1);
    const presented = seen[0]!.headers['x-api-key'] ?? seen[0]!.headers.authorization;
    expect(presented).toMatch(new RegExp(`^(Bearer )?${UPSTREAM_KEY}$`));
    expect(JSON.stringify(seen[0]!.headers)).not.toContain(token);
    expect(seen[0]!.body.model).toBe('claude-haiku-5-5');
    expect(seen[0]!.body.max_tokens).toBe(300);
  });

  it('answers non-streaming requests with the message JSON', async () => {
    const response = await postChat(configured.url, token, chatBody());
    expect(response.status).toBe(200);
    const message = (await response.json()) as { type: string; content: { text: string }[] };
    expect(message.type).toBe('message');
    expect(message.content[0]!.text).toContain('Stub partner heard');
  });

  it('validates the body against the shared contract', async () => {
    const url = configured.url;
    await expectError(await postChat(url, token, chatBody({ tools: [] })), 400, 'invalid_request');
    await expectError(
      await postChat(url, token, { max_tokens: 10, messages: [] }),
      400,
      'invalid_request'
    );
    const missing = await expectError(
      await postChat(url, token, { messages: [{ role: 'user', content: 'hi' }] }),
      400,
      'invalid_request'
    );
    expect(missing.message).toBe('max_tokens: this field is required.');
    await expectError(await postChat(url, token, '{not json'), 400, 'invalid_json');
    await expectError(
      await postChat(url, token, chatBody(), { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type'
    );
    await expectError(
      await postChat(url, token, chatBody({ model: 'claude-opus-5' })),
      400,
      'model_not_allowed'
    );
    const huge = chatBody({ messages: [{ role: 'user', content: 'x'.repeat(600 * 1024) }] });
    await expectError(await postChat(url, token, huge), 413, 'payload_too_large');
  });

  it('says plainly when no Anthropic key is configured', async () => {
    await expectError(
      await postChat(bare.url, 'no-token', chatBody({ stream: true })),
      503,
      'upstream_not_configured'
    );
  });

  it('answers unknown API routes with the error shape', async () => {
    await expectError(await recordedFetch(`${configured.url}/api/nope`), 404, 'not_found');
  });
});

describe('CORS', () => {
  it('answers the preflight of an allowed origin and labels its responses', async () => {
    const preflight = await recordedFetch(`${configured.url}/api/chat`, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type'
      }
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const response = await postChat(configured.url, token, chatBody(), { origin: ALLOWED_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('refuses other origins, preflight or not, and lets the app’s own origin through', async () => {
    const preflight = await recordedFetch(`${configured.url}/api/chat`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' }
    });
    await expectError(preflight, 403, 'origin_not_allowed');
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await expectError(
      await postChat(configured.url, token, chatBody(), { origin: 'https://evil.example' }),
      403,
      'origin_not_allowed'
    );
    const own = await postChat(configured.url, token, chatBody(), { origin: configured.url });
    expect(own.status).toBe(200);
  });
});

describe('observability', () => {
  it('generates a request id when none is sent, and reports Server-Timing', async () => {
    const response = await postChat(configured.url, token, chatBody({ stream: true }));
    await response.text();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const timing = response.headers.get('server-timing') ?? '';
    expect(timing).toMatch(/proxy;dur=[\d.]+/);
    expect(timing).toMatch(/upstream;dur=[\d.]+/);
    expect(timing).toMatch(/total;dur=[\d.]+/);
  });

  it('writes one structured log line per request, with tokens and upstream figures, no content', async () => {
    const response = await postChat(configured.url, token, chatBody({ stream: true }), {
      'x-request-id': 'log-line-check'
    });
    await response.text();
    let line: Record<string, unknown> | undefined;
    const deadline = Date.now() + 10_000;
    while (!line && Date.now() < deadline) {
      line = logLines(configured.output()).find((l) => l.requestId === 'log-line-check');
      if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    expect(line).toMatchObject({
      route: '/api/chat',
      status: 200,
      upstream: 'anthropic',
      upstreamStatus: 200,
      retries: 0,
      outcome: 'complete'
    });
    expect(line!.inputTokens).toBeGreaterThan(0);
    expect(line!.outputTokens).toBeGreaterThan(5);
    expect(typeof line!.latencyMs).toBe('number');
    expect(typeof line!.deviceId).toBe('string');
    expect(JSON.stringify(line)).not.toContain('Photosynthesis');
  });
});

describe('official @anthropic-ai/sdk as a client of the worker', () => {
  const client = (key = token) =>
    new Anthropic({ apiKey: key, baseURL: `${configured.url}/api/chat`, maxRetries: 0 });

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
    expect(message.usage.output_tokens).toBeGreaterThan(3);
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
    const ask = (c: Anthropic, model = 'claude-haiku-5-5') =>
      c.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    await expect(ask(client('wrong-token'))).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const refused = await ask(client(), 'claude-opus-5').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect((refused as InstanceType<typeof Anthropic.BadRequestError>).message).toContain(
      'not allowed'
    );
    expect((refused as InstanceType<typeof Anthropic.BadRequestError>).requestID).toBeTruthy();
  });
});

describe('secrets', () => {
  it('appear in no response and no log line', () => {
    const secrets = [UPSTREAM_KEY, PAIRING_SECRET];
    expect(seenResponses.length).toBeGreaterThan(20);
    for (const text of seenResponses) for (const s of secrets) expect(text).not.toContain(s);
    for (const worker of [configured, bare, keysOnly]) {
      const output = worker.output();
      expect(output).toContain('/api/');
      for (const s of [...secrets, token]) expect(output).not.toContain(s);
    }
  });
});
