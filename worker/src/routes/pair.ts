import { PairRequestSchema, type DeviceStatusResponse, type PairResponse } from '$contract';
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { readJsonBody, validationError } from '../lib/body';
import { limitsConfig, textSetting } from '../lib/config';
import { ApiError } from '../lib/errors';
import { clientIp, enforce, guard } from '../lib/guard';
import { logEvent } from '../lib/log';
import { limitsFor } from '../lib/limits/limiter';
import { utcDay } from '../lib/limits/window';
import { sameSecret } from '../lib/same-secret';
import { issueToken, signingKey, tokenLifetimeSeconds } from '../lib/tokens';

/**
 * Pairing: `POST /api/pair` exchanges the owner's pairing secret for a device token;
 * `POST /api/pair/renew` swaps a still-valid token for a fresh one; `GET /api/device` tells a
 * device whether its token still works and what it has spent today.
 */
export const pair = new Hono<AppEnv>();

pair.post('/', async (c) => {
  // Every attempt counts, right or wrong: the secret must not be guessable by trying.
  await enforce(c, 'pair', clientIp(c));
  const parsed = v.safeParse(PairRequestSchema, await readJsonBody(c, 4096));
  if (!parsed.success) throw validationError(parsed.issues);
  const secret = textSetting(c.env.PAIRING_SECRET);
  const key = await signingKey(c.env);
  if (!secret || !key) {
    throw new ApiError(
      503,
      'pairing_not_configured',
      'This server has no PAIRING_SECRET, so devices cannot be paired. The owner must set one.',
      {},
      'api_error'
    );
  }
  if (!(await sameSecret(parsed.output.secret.trim(), secret))) {
    throw new ApiError(
      401,
      'pairing_secret_invalid',
      'That pairing secret is not right. Ask the owner of this server for it.'
    );
  }
  const deviceId = crypto.randomUUID();
  const { token, exp } = await issueToken(key, deviceId, tokenLifetimeSeconds(c.env));
  c.get('log').deviceId = deviceId;
  logEvent('info', {
    requestId: c.get('requestId'),
    event: 'device_paired',
    deviceId,
    deviceName: parsed.output.deviceName ?? null
  });
  const body: PairResponse = {
    token,
    tokenType: 'Bearer',
    deviceId,
    expiresAt: new Date(exp * 1000).toISOString()
  };
  return c.json(body, 201, { 'cache-control': 'no-store' });
});

pair.post('/renew', guard(null), async (c) => {
  const device = c.get('device')!;
  const key = (await signingKey(c.env))!;
  const { token, exp } = await issueToken(key, device.deviceId, tokenLifetimeSeconds(c.env));
  const body: PairResponse = {
    token,
    tokenType: 'Bearer',
    deviceId: device.deviceId,
    expiresAt: new Date(exp * 1000).toISOString()
  };
  return c.json(body, 200, { 'cache-control': 'no-store' });
});

/** `GET /api/device`. */
export const deviceStatus = new Hono<AppEnv>();

deviceStatus.get('/', guard(null), async (c) => {
  const device = c.get('device')!;
  const day = utcDay(Date.now());
  const usage = await limitsFor(c.env).usage(device.deviceId, day);
  const config = limitsConfig(c.env);
  const body: DeviceStatusResponse = {
    deviceId: device.deviceId,
    expiresAt: new Date(device.exp * 1000).toISOString(),
    usage: {
      day,
      tokensUsed: usage.tokens,
      tokenBudget: config.dailyTokens,
      transcribeSecondsUsed: Math.round(usage.seconds),
      transcribeSecondsBudget: config.dailyTranscribeSeconds
    }
  };
  return c.json(body, 200, { 'cache-control': 'no-store' });
});
