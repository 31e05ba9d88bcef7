import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { anthropicConfig, limitsConfig, transcriptionConfig } from './config';
import { ApiError } from './errors';
import { limitsFor, type LimitDecision, type LimitScope } from './limits/limiter';
import { secondsToUtcMidnight, utcDay } from './limits/window';
import { checkToken, presentedToken, signingKey } from './tokens';

/** What a guarded route spends from the device's daily budget. */
export type BudgetKind = 'tokens' | 'seconds';

/** The client's IP address as Cloudflare reports it (never X-Forwarded-For, which anyone can set). */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

function tooMany(scope: LimitScope, retryAfterSeconds: number): ApiError {
  const what =
    scope === 'pair'
      ? 'Too many pairing attempts from this network'
      : scope === 'device'
        ? 'Too many requests from this device'
        : 'Too many requests from this network';
  return new ApiError(429, 'rate_limited', `${what}; try again in ${retryAfterSeconds} s.`, {
    'retry-after': String(retryAfterSeconds)
  });
}

function check(scope: LimitScope, result: LimitDecision): void {
  if (!result.allowed) throw tooMany(scope, result.retryAfterSeconds);
}

/** Counts a request against a limit; throws 429 with Retry-After when it is over. */
export async function enforce(c: Context<AppEnv>, scope: LimitScope, key: string): Promise<void> {
  check(scope, await limitsFor(c.env).hit(scope, key));
}

const WWW_AUTH = { 'www-authenticate': 'Bearer realm="learning-voice-agent"' };

/**
 * A route's own work before its upstream call that the limits do not depend on (reading and
 * validating the body): the guard runs it while the limits are being counted, so the request does
 * not wait for the one and then the other. The route reads its result with {@link preparedBy}.
 */
export type Prepare<T> = (c: Context<AppEnv>) => Promise<T>;

/** What the guard's `prepare` step returned for this request. */
export function preparedBy<T>(c: Context<AppEnv>, prepare: Prepare<T>): T {
  const entry = c.get('prepared');
  if (entry?.by !== prepare) throw new Error('the route was not guarded with this prepare step');
  return entry.value as T;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

const settle = <T>(work: Promise<T>): Promise<Settled<T>> =>
  work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error })
  );

/**
 * The gate in front of every `/api/*` route but health and pairing: the per-IP limit (counted
 * for bad tokens too, so guessing is throttled), a valid device token, the per-device limit and,
 * for routes that spend money, the device's daily budget. The IP and device checks go out in
 * parallel, one round trip each, and with them the route's `prepare` step (only once the token is
 * valid); a refusal by a limit wins over anything `prepare` found wrong, as if it ran after. A
 * server that holds keys but has no pairing secret refuses (503) rather than becoming an open
 * relay; a server with no keys lets the route answer `upstream_not_configured`.
 */
export function guard<T>(
  upstream: 'anthropic' | 'transcription' | null,
  budget?: BudgetKind,
  prepare?: Prepare<T>
) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const limits = limitsFor(c.env);
    const ip = clientIp(c);
    const key = await signingKey(c.env);
    if (!key) {
      await enforce(c, 'ip', ip);
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
      if (prepare) c.set('prepared', { by: prepare, value: await prepare(c) });
      return next();
    }
    const token = presentedToken(c.req.header('authorization'), c.req.header('x-api-key'));
    const verdict = token ? await checkToken(key, token) : null;
    if (!verdict?.ok) {
      await enforce(c, 'ip', ip);
      if (!verdict) {
        throw new ApiError(
          401,
          'unauthorized',
          'This server needs a device token: pair this device first (Settings and status → Pair this device).',
          WWW_AUTH
        );
      }
      throw verdict.expired
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
    const deviceId = verdict.claims.deviceId;
    c.set('device', verdict.claims);
    c.get('log').deviceId = deviceId;
    const now = Date.now();
    const config = limitsConfig(c.env);
    const [ipResult, admission, prepared] = await Promise.all([
      limits.hit('ip', ip),
      limits.admitDevice(
        deviceId,
        budget
          ? {
              day: utcDay(now),
              kind: budget,
              max: budget === 'tokens' ? config.dailyTokens : config.dailyTranscribeSeconds
            }
          : null
      ),
      prepare ? settle(prepare(c)) : null
    ]);
    check('ip', ipResult);
    if (admission.reason === 'budget') {
      throw new ApiError(
        429,
        'budget_exhausted',
        budget === 'tokens'
          ? 'This device has used today’s Claude budget; it resets at midnight UTC.'
          : 'This device has used today’s transcription budget; it resets at midnight UTC.',
        { 'retry-after': String(secondsToUtcMidnight(now)) }
      );
    }
    if (!admission.allowed) {
      throw tooMany('device', Math.max(1, Math.ceil(admission.retryAfterMs / 1000)));
    }
    if (prepared) {
      if (!prepared.ok) throw prepared.error;
      c.set('prepared', { by: prepare, value: prepared.value });
    }
    await next();
  });
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
