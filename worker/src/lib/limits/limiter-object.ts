import { DurableObject } from 'cloudflare:workers';
import { slidingHit, type WindowHit, type WindowState } from './window';

/** A daily budget to check before admitting a request. */
export interface BudgetCheck {
  day: string;
  kind: 'tokens' | 'seconds';
  max: number;
}

/** The verdict on a device's request; `reason` says which limit refused it. */
export interface Admission {
  allowed: boolean;
  retryAfterMs: number;
  reason: 'rate' | 'budget';
}

/** Today's spending of one device. */
export interface DailyUsage {
  tokens: number;
  seconds: number;
}

/**
 * One rate-limit key (a device, an IP address, an IP's pairing attempts) as a Durable Object, so
 * every isolate everywhere counts against the same numbers. Windows live in memory (losing one
 * when the object is evicted only forgives a minute); daily usage is kept in storage.
 */
export class Limiter extends DurableObject {
  #windows = new Map<string, WindowState>();

  /** Counts a request against a limit of `limit` per `windowMs`. */
  hit(name: string, limit: number, windowMs: number): Pick<WindowHit, 'allowed' | 'retryAfterMs'> {
    const result = slidingHit(this.#windows.get(name), Date.now(), windowMs, limit);
    this.#windows.set(name, result.state);
    return { allowed: result.allowed, retryAfterMs: result.retryAfterMs };
  }

  /**
   * One round trip for a device's request: refuses when today's budget is spent (without
   * counting the request), else counts it against the rate limit.
   */
  async admit(
    name: string,
    limit: number,
    windowMs: number,
    budget: BudgetCheck | null
  ): Promise<Admission> {
    if (budget) {
      const used = await this.usage(budget.day);
      if ((budget.kind === 'tokens' ? used.tokens : used.seconds) >= budget.max) {
        return { allowed: false, retryAfterMs: 0, reason: 'budget' };
      }
    }
    return { ...this.hit(name, limit, windowMs), reason: 'rate' };
  }

  /** What this key spent on a UTC day. */
  async usage(day: string): Promise<DailyUsage> {
    return (await this.ctx.storage.get<DailyUsage>(`usage:${day}`)) ?? { tokens: 0, seconds: 0 };
  }

  /** Adds spending to a day, dropping older days. */
  async spend(day: string, tokens: number, seconds: number): Promise<DailyUsage> {
    const key = `usage:${day}`;
    const current = (await this.ctx.storage.get<DailyUsage>(key)) ?? { tokens: 0, seconds: 0 };
    const next = { tokens: current.tokens + tokens, seconds: current.seconds + seconds };
    await this.ctx.storage.put(key, next);
    const old = await this.ctx.storage.list({ prefix: 'usage:', end: key });
    if (old.size) await this.ctx.storage.delete([...old.keys()]);
    return next;
  }
}
