/**
 * Requests an isolate may admit without asking the Durable Object: slots the object counted in
 * advance (window.ts, leaseSlots). A chat then costs no limiter round trip most of the time (the
 * round trips measured ~1.3 ms of workerd CPU per chat; bench:worker's Server-Timing proxy time
 * went from p50 1 / p99 2–3 to 0 / 2 ms).
 */
import { plusUsage, spentOut, type BudgetCheck, type DailyUsage } from './window';

/** What one isolate holds for one limit key. */
export interface Lease {
  slots: number;
  /** Epoch ms after which the slots are void (the end of the window they were counted in). */
  until: number;
  /** The device's spending today as last known, when its admission checks a daily budget. */
  usage?: { day: string; usage: DailyUsage };
}

/** Longest a lease is trusted, whatever its window: slots held longer would only go stale. */
export const LEASE_MAX_MS = 10_000;

/** The leases of one isolate, by limit key. */
export class Leases {
  readonly #held = new Map<string, Lease>();

  /**
   * Takes one slot for `key` when a lease is held, unexpired and, with a budget, not spent out
   * by what this isolate last heard; otherwise false (ask the Durable Object).
   */
  take(key: string, now: number, budget: BudgetCheck | null = null): boolean {
    const lease = this.#held.get(key);
    if (!lease || lease.slots <= 0 || now >= lease.until) return false;
    if (budget && (lease.usage?.day !== budget.day || spentOut(budget, lease.usage.usage))) {
      return false;
    }
    lease.slots--;
    return true;
  }

  /** Keeps the slots the Durable Object granted with an admission (replacing what was left). */
  grant(key: string, now: number, lease: Lease): void {
    if (this.#held.size > 10_000) this.#held.clear();
    if (lease.slots <= 0) {
      this.#held.delete(key);
      return;
    }
    this.#held.set(key, { ...lease, until: Math.min(lease.until, now + LEASE_MAX_MS) });
  }

  /** Records a device's spending as the Durable Object reported it (plus what is still owed). */
  spent(key: string, day: string, usage: DailyUsage): void {
    const lease = this.#held.get(key);
    if (lease?.usage && lease.usage.day === day) lease.usage = { day, usage };
  }

  /** Adds spending this isolate recorded and has not written to the object yet. */
  owe(key: string, day: string, owed: DailyUsage): void {
    const lease = this.#held.get(key);
    if (lease?.usage && lease.usage.day === day) {
      lease.usage = { day, usage: plusUsage(lease.usage.usage, owed) };
    }
  }
}
