import type { UpstreamPolicy } from '../config';

/** The client went away; nothing more is to be sent or retried. */
export class ClientAborted extends Error {
  override name = 'ClientAborted';
  constructor() {
    super('the client closed the connection');
  }
}

/** Why the worker gave up waiting on an upstream. */
export class TimeoutReason extends Error {
  override name = 'TimeoutReason';
  constructor(readonly phase: 'connect' | 'first_byte' | 'response' | 'idle') {
    super(`upstream ${phase} timeout`);
  }
}

/** Whether an upstream error answer may be retried (the upstream's `x-should-retry` wins). */
export function shouldRetry(response: Response): boolean {
  const hint = response.headers.get('x-should-retry');
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  return response.status === 408 || response.status === 429 || response.status >= 500;
}

/** The upstream's requested wait (`retry-after-ms`, `retry-after` seconds or date), in ms. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `attempt + 1`: the upstream's retry-after when it gave one
 * (plus a little jitter so clients told the same time do not return in lockstep), or null when
 * that is longer than the worker will hold a client; else exponential backoff with jitter
 * ("equal jitter": half the step fixed, half random).
 */
export function retryDelayMs(
  headers: Headers,
  attempt: number,
  policy: UpstreamPolicy,
  random: () => number = Math.random
): number | null {
  const asked = retryAfterMs(headers);
  if (asked !== null) {
    if (asked > policy.maxRetryAfterMs) return null;
    return asked + random() * Math.min(250, asked * 0.1 + 50);
  }
  const step = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}

/** Sleeps, unless the client leaves first. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClientAborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
