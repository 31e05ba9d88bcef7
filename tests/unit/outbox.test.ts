import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, PermanentFailure, backoffMs } from '$lib/queue/outbox';
import type { LvaDatabase } from '$lib/db/database';
import { openTestDb } from './helpers/app-db';

let db: LvaDatabase;
afterEach(() => db?.close());

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Outbox', () => {
  it('runs due items oldest first and deletes them on success', async () => {
    db = openTestDb('outbox-1');
    const c = clock();
    const seen: unknown[] = [];
    const outbox = new Outbox(
      db,
      { transcribe: (p) => (seen.push(p), Promise.resolve()) },
      { now: c.now }
    );
    await outbox.enqueue('transcribe', { captureId: 'a' });
    c.advance(1);
    await outbox.enqueue('transcribe', { captureId: 'b' });
    expect(await outbox.runDue()).toBe(2);
    expect(seen).toEqual([{ captureId: 'a' }, { captureId: 'b' }]);
    expect(await outbox.list()).toEqual([]);
  });

  it('backs off after a failure, keeps the error, and retries when due', async () => {
    db = openTestDb('outbox-2');
    const c = clock();
    let fail = true;
    const outbox = new Outbox(
      db,
      { transcribe: () => (fail ? Promise.reject(new Error('offline')) : Promise.resolve()) },
      { now: c.now, backoff: (n) => n * 1000 }
    );
    await outbox.enqueue('transcribe', { captureId: 'x' });
    expect(await outbox.runDue()).toBe(0);
    let [item] = await outbox.list('transcribe');
    expect(item).toMatchObject({
      attempts: 1,
      lastError: 'offline',
      nextAttemptAt: c.now() + 1000
    });
    // Not due yet: nothing runs.
    c.advance(999);
    expect(await outbox.runDue()).toBe(0);
    expect((await outbox.list())[0]!.attempts).toBe(1);
    c.advance(1);
    expect(await outbox.runDue()).toBe(0);
    [item] = await outbox.list();
    expect(item).toMatchObject({ attempts: 2, nextAttemptAt: c.now() + 2000 });
    fail = false;
    await outbox.retryAllNow();
    expect(await outbox.runDue()).toBe(1);
    expect(await outbox.list()).toEqual([]);
  });

  it('drops an item on a permanent failure or after the last attempt, and says so', async () => {
    db = openTestDb('outbox-3');
    const given: [string, number][] = [];
    const outbox = new Outbox(
      db,
      {
        transcribe: () => Promise.reject(new PermanentFailure('audio missing')),
        chat: () => Promise.reject(new Error('503'))
      },
      {
        backoff: () => 0,
        maxAttempts: 2,
        onGiveUp: (item, err) =>
          void given.push(
            [item.kind, item.attempts, (err as Error).message].slice(0, 2) as [string, number]
          )
      }
    );
    await outbox.enqueue('transcribe', 1);
    await outbox.enqueue('chat', 2);
    await outbox.runDue();
    expect(await outbox.list('transcribe')).toEqual([]);
    expect(await outbox.list('chat')).toHaveLength(1);
    await outbox.runDue();
    expect(await outbox.list()).toEqual([]);
    expect(given).toEqual([
      ['transcribe', 1],
      ['chat', 2]
    ]);
  });

  it('leaves kinds without a handler alone until one is registered', async () => {
    db = openTestDb('outbox-4');
    const outbox = new Outbox(db, {});
    await outbox.enqueue('summary', { text: 'later' }, 5);
    expect(await outbox.runDue()).toBe(0);
    expect(await outbox.nextDueAt()).toBe(5);
    expect((await outbox.list('summary'))[0]!.payload).toEqual({ text: 'later' });
  });

  it('shares one run between concurrent callers', async () => {
    db = openTestDb('outbox-5');
    let calls = 0;
    const outbox = new Outbox(db, { transcribe: () => (calls++, Promise.resolve()) });
    await outbox.enqueue('transcribe', 1);
    await Promise.all([outbox.runDue(), outbox.runDue()]);
    expect(calls).toBe(1);
  });
});

describe('backoffMs', () => {
  it('doubles from the base up to the cap, within ±20 % jitter', () => {
    const mid = { random: () => 0.5 };
    expect(backoffMs(1, mid)).toBe(5000);
    expect(backoffMs(3, mid)).toBe(20000);
    expect(backoffMs(30, mid)).toBe(15 * 60_000);
    expect(backoffMs(1, { random: () => 0 })).toBe(4000);
    expect(backoffMs(1, { random: () => 1 })).toBe(6000);
  });
});
