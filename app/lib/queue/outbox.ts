/**
 * A persisted outbox on the v2 `outbox` table: work that needs the network (a queued transcription,
 * a chat request) is stored with its payload and retried with exponential backoff until it succeeds
 * or fails for good. It survives reloads; generic over `kind`, with one handler per kind.
 */
import type { LvaDatabase, OutboxRecord } from '../db/database';
import { newId, type OutboxId } from '../db/ids';

/** Kinds of queued work (as the v2 record allows). */
export type OutboxKind = OutboxRecord['kind'];

/** Thrown by a handler for a failure that retrying cannot fix; the item is dropped. */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
}

/** Handles one item; resolves on success, throws to retry (or {@link PermanentFailure}). */
export type OutboxHandler = (payload: unknown, item: OutboxRecord) => Promise<void>;

/** Backoff: base × 2^(attempts-1), capped, with ±20 % jitter so queued devices do not stampede. */
export function backoffMs(
  attempts: number,
  { baseMs = 5_000, maxMs = 15 * 60_000, random = Math.random } = {}
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** Options of an outbox. */
export interface OutboxOptions {
  now?: () => number;
  backoff?: (attempts: number) => number;
  /** Give up after this many failed attempts (the item is dropped and `onGiveUp` is told). */
  maxAttempts?: number;
  onGiveUp?: (item: OutboxRecord, error: unknown) => void | Promise<void>;
}

/** The outbox over one database. */
export class Outbox {
  private readonly now: () => number;
  private readonly backoff: (attempts: number) => number;
  private running: Promise<number> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: LvaDatabase,
    private readonly handlers: Partial<Record<OutboxKind, OutboxHandler>>,
    private readonly options: OutboxOptions = {}
  ) {
    this.now = options.now ?? Date.now;
    this.backoff = options.backoff ?? ((n) => backoffMs(n));
  }

  /** Queues work, due now (or at `notBefore`). */
  async enqueue(kind: OutboxKind, payload: unknown, notBefore?: number): Promise<OutboxRecord> {
    const now = this.now();
    const item: OutboxRecord = {
      id: newId<OutboxId>(now),
      kind,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: notBefore ?? now,
      lastError: null,
      payload
    };
    await this.db.outbox.add(item);
    return item;
  }

  /** Items of a kind (or all), oldest first. */
  list(kind?: OutboxKind): Promise<OutboxRecord[]> {
    const items = kind ? this.db.outbox.where('kind').equals(kind) : this.db.outbox.toCollection();
    return items.sortBy('createdAt');
  }

  /** Removes an item (the work was done another way, or cancelled). */
  async remove(id: OutboxId): Promise<void> {
    await this.db.outbox.delete(id);
  }

  /** Makes every item due now (the network came back). */
  async retryAllNow(): Promise<void> {
    await this.db.outbox.toCollection().modify({ nextAttemptAt: this.now() });
  }

  /**
   * Runs every due item once, oldest first, one at a time; resolves with how many succeeded.
   * Concurrent calls share one run.
   */
  runDue(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Runs the due items now (every item when `retryNow`: back online), then {@link schedule}s. */
  async drain(retryNow = false): Promise<void> {
    if (retryNow) await this.retryAllNow();
    await this.runDue();
    await this.schedule();
  }

  /** Sets this outbox's one timer to {@link drain} when the next item is due (1 s at the soonest). */
  async schedule(): Promise<void> {
    const at = await this.nextDueAt();
    if (this.timer) clearTimeout(this.timer);
    this.timer =
      at === null ? null : setTimeout(() => void this.drain(), Math.max(1000, at - this.now()));
  }

  /** When the next item is due (null when the outbox is empty). */
  async nextDueAt(): Promise<number | null> {
    const first = await this.db.outbox.orderBy('nextAttemptAt').first();
    return first?.nextAttemptAt ?? null;
  }

  private async run(): Promise<number> {
    const due = await this.db.outbox
      .where('nextAttemptAt')
      .belowOrEqual(this.now())
      .sortBy('createdAt');
    let done = 0;
    for (const item of due) {
      const handler = this.handlers[item.kind];
      if (!handler) continue;
      try {
        await handler(item.payload, item);
        await this.db.outbox.delete(item.id);
        done++;
      } catch (err) {
        const attempts = item.attempts + 1;
        const permanent = err instanceof PermanentFailure;
        if (permanent || attempts >= (this.options.maxAttempts ?? Infinity)) {
          await this.db.outbox.delete(item.id);
          await this.options.onGiveUp?.({ ...item, attempts }, err);
          continue;
        }
        await this.db.outbox.update(item.id, {
          attempts,
          nextAttemptAt: this.now() + this.backoff(attempts),
          lastError: err instanceof Error ? err.message : String(err)
        });
      }
    }
    return done;
  }
}
