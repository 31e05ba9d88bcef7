/**
 * Spending an isolate has recorded but not yet written to the devices' Durable Objects. A reply
 * used to cost the object a round trip of its own (~0.4 ms of workerd CPU per chat, measured from
 * /proc on workerd); now an isolate writes a device's spending at most once per
 * {@link SPEND_FLUSH_MS}, or sooner when it asks the object for an admission anyway (the spending
 * rides along). What is owed still counts at once in this isolate: its leases and usage reports
 * add it (limiter.ts).
 */
import type { DailyUsage } from './window';

/** Longest spending waits in an isolate before it is written to the device's object. */
export const SPEND_FLUSH_MS = 1_000;

/** Spending of one device on one UTC day, not yet written. */
export type Owed = DailyUsage & { day: string };

const keyOf = (deviceId: string, day: string) => `${deviceId}\n${day}`;

/** What one isolate owes the devices' objects, by device and day. */
export class SpendBatch {
  readonly #owed = new Map<string, Owed & { deviceId: string }>();

  /** Records spending (also to put back spending that could not be written). */
  add(deviceId: string, day: string, tokens: number, seconds: number): void {
    const key = keyOf(deviceId, day);
    const entry = this.#owed.get(key) ?? { deviceId, day, tokens: 0, seconds: 0 };
    entry.tokens += tokens;
    entry.seconds += seconds;
    this.#owed.set(key, entry);
  }

  /** What a device owes for a day, to add to the object's figures. */
  owedFor(deviceId: string, day: string): DailyUsage {
    const entry = this.#owed.get(keyOf(deviceId, day));
    return { tokens: entry?.tokens ?? 0, seconds: entry?.seconds ?? 0 };
  }

  /** Takes what a device owes for a day, to send along with a request to its object. */
  take(deviceId: string, day: string): Owed | null {
    const key = keyOf(deviceId, day);
    const entry = this.#owed.get(key);
    if (!entry) return null;
    this.#owed.delete(key);
    return { day: entry.day, tokens: entry.tokens, seconds: entry.seconds };
  }

  /** Takes everything owed, to write it. */
  drain(): { deviceId: string; owed: Owed }[] {
    const all = [...this.#owed.values()].map(({ deviceId, ...owed }) => ({ deviceId, owed }));
    this.#owed.clear();
    return all;
  }
}
