/** Counters of one key's sliding window: the current fixed window and the one before it. */
export interface WindowState {
  start: number;
  current: number;
  previous: number;
}

/** The outcome of counting one request. */
export interface WindowHit {
  state: WindowState;
  allowed: boolean;
  /** When refused: how long until a request would be allowed, in ms. */
  retryAfterMs: number;
}

/** Requests counted in the sliding window ending at `now`: the previous fixed window weighted by
 * how much of it still overlaps, plus the current one. */
function windowEstimate(state: WindowState, now: number, windowMs: number): number {
  return state.previous * (1 - (now - state.start) / windowMs) + state.current;
}

/**
 * Sliding-window rate limit (the approximation Cloudflare uses): the previous window's count,
 * weighted by how much of it still overlaps the sliding window, plus the current one. Refused
 * requests are not counted, so a client that backs off as told gets through.
 */
export function slidingHit(
  state: WindowState | undefined,
  now: number,
  windowMs: number,
  limit: number
): WindowHit {
  const start = Math.floor(now / windowMs) * windowMs;
  let next: WindowState;
  if (!state || state.start < start - windowMs) next = { start, current: 0, previous: 0 };
  else if (state.start < start) next = { start, current: 0, previous: state.current };
  else next = { ...state };
  const estimate = windowEstimate(next, now, windowMs);
  if (estimate + 1 <= limit) {
    next.current += 1;
    return { state: next, allowed: true, retryAfterMs: 0 };
  }
  const toWindowEnd = start + windowMs - now;
  let retryAfterMs: number;
  if (next.current + 1 > limit || next.previous === 0) {
    // Even with the previous window fully gone this one is full: wait for the next window, then
    // for enough of this window's weight to fade.
    const excess = next.current + 1 - limit;
    retryAfterMs = toWindowEnd + Math.max(0, (excess / Math.max(next.current, 1)) * windowMs);
  } else {
    // Wait until enough of the previous window has slid out.
    const needed = (estimate + 1 - limit) / next.previous;
    retryAfterMs = Math.min(toWindowEnd, needed * windowMs);
  }
  return { state: next, allowed: false, retryAfterMs: Math.ceil(retryAfterMs) };
}

/** A daily budget to check before admitting a request. */
export interface BudgetCheck {
  day: string;
  kind: 'tokens' | 'seconds';
  max: number;
}

/** Today's spending of one device. */
export interface DailyUsage {
  tokens: number;
  seconds: number;
}

/** Two amounts of spending added up (an object's figure and what is owed on top of it). */
export const plusUsage = (a: DailyUsage, b: DailyUsage): DailyUsage => ({
  tokens: a.tokens + b.tokens,
  seconds: a.seconds + b.seconds
});

/** Whether a device's spending has reached its daily budget. */
export function spentOut(budget: BudgetCheck, usage: DailyUsage): boolean {
  return (budget.kind === 'tokens' ? usage.tokens : usage.seconds) >= budget.max;
}

/** The UTC day of a time, as YYYY-MM-DD: daily budgets reset at midnight UTC. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Seconds until the next UTC midnight (the Retry-After of an exhausted daily budget). */
export function secondsToUtcMidnight(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - now) / 1000));
}

/** Most slots one lease holds (see {@link leaseSlots}). */
export const MAX_LEASE_SLOTS = 8;

/**
 * How many more requests the Durable Object may hand an isolate ahead of time, after an allowed
 * hit: a quarter of the room left in the sliding window, at most {@link MAX_LEASE_SLOTS}. They are
 * counted as hits when granted, so leasing never admits more than the limit; a slot left unused
 * only makes the window stricter until it slides out.
 */
export function leaseSlots(state: WindowState, now: number, windowMs: number, limit: number) {
  const room = limit - windowEstimate(state, now, windowMs);
  return Math.max(0, Math.min(MAX_LEASE_SLOTS, Math.floor(room / 4)));
}
