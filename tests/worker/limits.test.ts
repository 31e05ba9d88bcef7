/**
 * Rate limits per device and per IP, pairing attempts, and the daily token budget, on each
 * backend the worker can use: the Durable Object (wrangler.toml's default), Cloudflare's Rate
 * Limiting bindings (a variant config; Miniflare runs them locally) and the in-memory fallback.
 * Every refusal is a 429 in the error shape with a Retry-After.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicStub, type AnthropicStub } from '../stubs/anthropic-stub';
import { startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev';
import { chatBody, expectError, pairDevice, postChat, recordedFetch } from './helpers';

const KEY = 'sk-ant-limits-key-0123456789abcdef';
const SECRET = 'limits-pairing-secret-0123456';
const BINDINGS = `
[[ratelimits]]
name = "RATE_LIMIT_DEVICE"
namespace_id = "1001"
simple = { limit = 3, period = 60 }
[[ratelimits]]
name = "RATE_LIMIT_IP"
namespace_id = "1002"
simple = { limit = 1000, period = 60 }
`;

let stub: AnthropicStub;
let durable: WranglerDev;
let binding: WranglerDev;
let memory: WranglerDev;

beforeAll(async () => {
  stub = await startAnthropicStub({ apiKey: KEY });
  const common = {
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: stub.url,
    PAIRING_SECRET: SECRET,
    RATE_LIMIT_DEVICE_PER_MINUTE: '3',
    RATE_LIMIT_IP_PER_MINUTE: '12',
    RATE_LIMIT_PAIR_PER_HOUR: '3'
  };
  [durable, binding, memory] = await Promise.all([
    startWranglerDev({ ...common, DAILY_TOKEN_BUDGET: '60', RATE_LIMIT_DEVICE_PER_MINUTE: '5' }),
    startWranglerDev(common, { extraConfig: BINDINGS }),
    startWranglerDev({ ...common, RATE_LIMIT_BACKEND: 'memory' })
  ]);
});

afterAll(async () => {
  await Promise.all([durable?.close(), binding?.close(), memory?.close()]);
  await stub?.close();
});

let nextIp = 1;
/** A fresh client address for each scenario (wrangler dev passes CF-Connecting-IP through). */
const freshIp = () => `198.51.100.${nextIp++}`;

async function expectDeviceLimit(worker: WranglerDev, limit: number) {
  const ip = freshIp();
  const [first, second] = [
    await pairDevice(worker.url, SECRET, ip),
    await pairDevice(worker.url, SECRET, ip)
  ];
  const ask = (token: string) =>
    recordedFetch(`${worker.url}/api/device`, {
      headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': ip }
    });
  for (let i = 0; i < limit; i++) expect((await ask(first)).status).toBe(200);
  const refused = await ask(first);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  await expectError(refused, 429, 'rate_limited');
  // Another device is not affected.
  expect((await ask(second)).status).toBe(200);
}

describe.each([
  ['Durable Object', () => durable, 5],
  ['Rate Limiting binding', () => binding, 3],
  ['in-memory fallback', () => memory, 3]
])('per-device limit (%s)', (_, worker, limit) => {
  it('refuses the request over the limit with 429 and Retry-After, per device', async () => {
    await expectDeviceLimit(worker(), limit);
  });
});

describe('limits and the body read beside them', () => {
  it('answers a bad body once the limits allow it, and the limit first once they do not', async () => {
    const ip = freshIp();
    const token = await pairDevice(durable.url, SECRET, ip);
    const send = (body: string, bearer = token) =>
      postChat(durable.url, bearer, body, { 'cf-connecting-ip': ip });
    // The body is read while the limits are counted, but a bad token is still refused first...
    await expectError(await send('{not json', 'not-a-token'), 401, 'unauthorized');
    // ...the device's requests count against its limit of 5 whatever their body...
    for (let i = 0; i < 5; i++) await expectError(await send('{not json'), 400, 'invalid_json');
    // ...and over the limit the answer is the 429, not what was wrong with the body.
    const refused = await send('{not json');
    await expectError(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectError(await send(JSON.stringify(chatBody())), 429, 'rate_limited');
  });
});

describe('per-IP limits', () => {
  it('limits every API call from one address, whatever the token', async () => {
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < 14; i++) {
      const response = await postChat(durable.url, 'not-a-token', chatBody(), {
        'cf-connecting-ip': ip
      });
      codes.push(response.status);
      if (response.status === 429) await expectError(response, 429, 'rate_limited');
    }
    expect(codes.slice(0, 12).every((c) => c === 401)).toBe(true);
    expect(codes.slice(12)).toEqual([429, 429]);
    // Another address is not affected.
    const other = await postChat(durable.url, 'not-a-token', chatBody(), {
      'cf-connecting-ip': freshIp()
    });
    expect(other.status).toBe(401);
  });

  it('limits pairing attempts, right or wrong, so the secret cannot be guessed', async () => {
    const ip = freshIp();
    const attempt = (secret: string) =>
      recordedFetch(`${durable.url}/api/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
        body: JSON.stringify({ secret })
      });
    expect((await attempt('guess-1')).status).toBe(401);
    expect((await attempt('guess-2')).status).toBe(401);
    expect((await attempt(SECRET)).status).toBe(201);
    const refused = await attempt(SECRET);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    await expectError(refused, 429, 'rate_limited');
  });
});

describe('daily token budget', () => {
  it('stops a device once its tokens for the day are spent, until midnight UTC', async () => {
    const ip = freshIp();
    const token = await pairDevice(durable.url, SECRET, ip);
    const ask = () =>
      postChat(durable.url, token, chatBody({ stream: true }), { 'cf-connecting-ip': ip });
    // Each reply costs ~30 tokens (stub usage); the budget of 60 is crossed on the 2nd.
    let refused: Response | null = null;
    for (let i = 0; i < 3 && !refused; i++) {
      const response = await ask();
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        await response.text();
        // Spending is recorded after the stream ends; give the Durable Object a moment.
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    refused ??= await ask();
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    await expectError(refused, 429, 'budget_exhausted');
    const status = (await (
      await recordedFetch(`${durable.url}/api/device`, {
        headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': freshIp() }
      })
    ).json()) as { usage: { tokensUsed: number; tokenBudget: number } };
    expect(status.usage.tokenBudget).toBe(60);
    expect(status.usage.tokensUsed).toBeGreaterThanOrEqual(60);
  });
});
