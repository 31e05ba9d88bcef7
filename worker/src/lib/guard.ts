import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { anthropicConfig, limitsConfig, transcriptionConfig } from './config';
import { ApiError } from './errors';
import { limitsFor, type LimitScope } from './limits/limiter';
import { secondsToUtcMidnight, utcDay } from './limits/window';
import { checkToken, presentedToken, signingKey } from './tokens';

/** What a guarded route spends from the device's daily budget. */
export type BudgetKind = 'tokens' | 'seconds';

/** The client's IP address as Cloudflare reports it (never X-Forwarded-For, which anyone can set). */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

/** Counts a request against a limit; throws 429 with Retry-After when it is over. */
export async function enforce(c: Context<AppEnv>, scope: LimitScope, key: string): Promise<void> {
  const result = await limitsFor(c.env).hit(scope, key);
  if (result.allowed) return;
  const what =
    scope === 'pair'
      ? 'Too many pairing attempts from this network'
      : scope === 'device'
        ? 'Too many requests from this device'
        : 'Too many requests from this network';
  throw new ApiError(429, 'rate_limited', `${what}; try again in ${result.retryAfterSeconds} s.`, {
    'retry-after': String(result.retryAfterSeconds)
  });
}

const WWW_AUTH = { 'www-authenticate': 'Bearer realm="learning-voice-agent"' };

/**
 * The gate in front of every `/api/*` route but health and pairing: the per-IP limit (first, so
 * token guessing is throttled too), a valid device token, the per-device limit and, for routes
 * that spend money, the device's daily budget. A server that holds keys but has no pairing secret
 * refuses (503) rather than becoming an open relay; a server with no keys lets the route answer
 * `upstream_not_configured`.
 */
export function guard(upstream: 'anthropic' | 'transcription' | null, budget?: BudgetKind) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await enforce(c, 'ip', clientIp(c));
    const key = await signingKey(c.env);
    if (!key) {
      const configured =
        upstream === 'anthropic'
          ? anthropicConfig(c.env)
          : upstream === 'transcription'
            ? transcriptionConfig(c.env)
            : null;
      if (configured || upstream === null) {
        throw new ApiError(
          503,
          'pairing_not_configured',
          'This server has no PAIRING_SECRET, so it cannot pair devices and refuses to relay. The owner must set one.',
          {},
          'api_error'
        );
      }
      c.set('device', null);
      return next();
    }
    const token = presentedToken(c.req.header('authorization'), c.req.header('x-api-key'));
    if (!token) {
      throw new ApiError(
        401,
        'unauthorized',
        'This server needs a device token: pair this device first (Settings → Pair this device).',
        WWW_AUTH
      );
    }
    const check = await checkToken(key, token);
    if (!check.ok) {
      throw check.expired
        ? new ApiError(
            401,
            'token_expired',
            'This device’s pairing has expired: pair it again.',
            WWW_AUTH
          )
        : new ApiError(
            401,
            'unauthorized',
            'The device token is not valid (the server’s pairing may have been reset): pair this device again.',
            WWW_AUTH
          );
    }
    c.set('device', check.claims);
    c.get('log').deviceId = check.claims.deviceId;
    await enforce(c, 'device', check.claims.deviceId);
    if (budget) await checkBudget(c, check.claims.deviceId, budget);
    await next();
  });
}

async function checkBudget(c: Context<AppEnv>, deviceId: string, kind: BudgetKind) {
  const now = Date.now();
  const usage = await limitsFor(c.env).usage(deviceId, utcDay(now));
  const config = limitsConfig(c.env);
  const over =
    kind === 'tokens'
      ? usage.tokens >= config.dailyTokens
      : usage.seconds >= config.dailyTranscribeSeconds;
  if (!over) return;
  const retry = secondsToUtcMidnight(now);
  throw new ApiError(
    429,
    'budget_exhausted',
    kind === 'tokens'
      ? 'This device has used today’s Claude budget; it resets at midnight UTC.'
      : 'This device has used today’s transcription budget; it resets at midnight UTC.',
    { 'retry-after': String(retry) }
  );
}

/** Records what a request spent, after the fact (called through waitUntil). */
export async function recordSpend(
  c: Context<AppEnv>,
  tokens: number,
  seconds: number
): Promise<void> {
  const device = c.get('device');
  if (!device || (tokens <= 0 && seconds <= 0)) return;
  await limitsFor(c.env).spend(device.deviceId, utcDay(Date.now()), tokens, seconds);
}
