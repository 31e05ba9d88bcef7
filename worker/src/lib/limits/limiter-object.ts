import { DurableObject } from 'cloudflare:workers';
import {
  leaseSlots,
  slidingHit,
  spentOut,
  type BudgetCheck,
  type DailyUsage,
  type WindowHit,
  type WindowState
} from './window';
import type { Owed } from './spend-batch';

export type { BudgetCheck, DailyUsage } from './window';

/** The verdict on a device's request; `reason` says which limit refused it. */
export interface Admission {
  allowed: boolean;
  retryAfterMs: number;
  reason: 'rate' | 'budget';
}

/** Requests counted ahead for the asking isolate (leases.ts), valid until `until` (epoch ms). */
export interface Granted {
  slots: number;
  until: number;
}

/**
 * One rate-limit key (a device, an IP address, an IP's pairing attempts) as a Durable Object, so
 * every isolate everywhere counts against the same numbers. Windows live in memory (losing one
 * when the object is evicted only forgives a minute); daily usage is kept in storage.
 */
export class Limiter extends DurableObject {
  #windows = new Map<string, WindowState>();
  /** The day key older days were last dropped before (lost on eviction: then it prunes again). */
  #prunedBefore = '';
  /** The usage of the day last read or written (see {@link usage}). */
  #today: { key: string; usage: DailyUsage } | null = null;

  /**
   * Counts a request against a limit of `limit` per `windowMs`; with `lease`, also counts and
   * grants slots the isolate may use without asking again (none when refused).
   */
  hit(
    name: string,
    limit: number,
    windowMs: number,
    lease = false
  ): Pick<WindowHit, 'allowed' | 'retryAfterMs'> & Granted {
    const now = Date.now();
    const result = slidingHit(this.#windows.get(name), now, windowMs, limit);
    const slots = lease && result.allowed ? leaseSlots(result.state, now, windowMs, limit) : 0;
    result.state.current += slots;
    this.#windows.set(name, result.state);
    return {
      allowed: result.allowed,
      retryAfterMs: result.retryAfterMs,
      slots,
      until: result.state.start + windowMs
    };
  }

  /**
   * One round trip for a device's request: adds what the asking isolate still owes (spend-batch.ts),
   * then refuses when today's budget is spent (without counting the request), else counts it
   * against the rate limit.
   */
  async admit(
    name: string,
    limit: number,
    windowMs: number,
    budget: BudgetCheck | null,
    lease = false,
    owed: Owed | null = null
  ): Promise<Admission & Granted & { usage?: DailyUsage }> {
    if (owed) await this.spend(owed.day, owed.tokens, owed.seconds);
    let usage: DailyUsage | undefined;
    if (budget) {
      usage = await this.usage(budget.day);
      if (spentOut(budget, usage)) {
        return { allowed: false, retryAfterMs: 0, reason: 'budget', slots: 0, until: 0 };
      }
    }
    return { ...this.hit(name, limit, windowMs, lease), reason: 'rate', usage };
  }

  /**
   * What this key spent on a UTC day. The object is the only writer of its storage, so the day it
   * last read or wrote is kept in memory: admitting a request or adding its spending reads no
   * storage after the first time.
   */
  async usage(day: string): Promise<DailyUsage> {
    const key = `usage:${day}`;
    if (this.#today?.key !== key) {
      const stored = await this.ctx.storage.get<DailyUsage>(key);
      this.#today = { key, usage: stored ?? { tokens: 0, seconds: 0 } };
    }
    return { ...this.#today.usage };
  }

  /**
   * Adds spending to a day. Older days are dropped on the first spend of a day only (then remembered
   * in memory), not on every request: a storage scan per chat would be work for nothing.
   */
  async spend(day: string, tokens: number, seconds: number): Promise<DailyUsage> {
    const key = `usage:${day}`;
    const current = await this.usage(day);
    const next = { tokens: current.tokens + tokens, seconds: current.seconds + seconds };
    this.#today = { key, usage: next };
    // Spending is counted after the reply, for a cost cap rather than an invoice: the device's next
    // admission need not wait for this write to be confirmed on disk (the output gate would hold
    // it). Should the write be lost, the memory above still counts it while the object lives.
    await this.ctx.storage.put(key, next, { allowUnconfirmed: true });
    if (this.#prunedBefore !== key) {
      const old = await this.ctx.storage.list({ prefix: 'usage:', end: key });
      if (old.size) await this.ctx.storage.delete([...old.keys()]);
      this.#prunedBefore = key;
    }
    return next;
  }
}
