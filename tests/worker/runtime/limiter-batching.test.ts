/**
 * How an isolate writes spending to the devices' limiter objects (limiter.ts with spend-batch.ts),
 * in Node against a recording stand-in of the Durable Object namespace: replies' spending is
 * written once per flush, rides along with an admission, and counts at once where it was
 * recorded. The object itself runs on workerd in limits.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../../worker/src/env';
import { limitsFor } from '../../../worker/src/lib/limits/limiter';
import { SPEND_FLUSH_MS, type Owed } from '../../../worker/src/lib/limits/spend-batch';
import type { BudgetCheck, DailyUsage } from '../../../worker/src/lib/limits/window';

interface Call {
  method: 'spend' | 'admit';
  name: string;
  owed: Owed | null;
}

/** A stand-in of the LIMITER namespace: each name's usage in memory, every call recorded. */
function fakeNamespace(failSpend: () => boolean = () => false) {
  const usage = new Map<string, DailyUsage>();
  const calls: Call[] = [];
  const add = (name: string, day: string, tokens: number, seconds: number) => {
    const key = `${name}|${day}`;
    const now = usage.get(key) ?? { tokens: 0, seconds: 0 };
    const next = { tokens: now.tokens + tokens, seconds: now.seconds + seconds };
    usage.set(key, next);
    return next;
  };
  const stub = (name: string) => ({
    spend(day: string, tokens: number, seconds: number) {
      calls.push({ method: 'spend', name, owed: { day, tokens, seconds } });
      if (failSpend()) return Promise.reject(new Error('object unavailable'));
      return Promise.resolve(add(name, day, tokens, seconds));
    },
    usage: (day: string) =>
      Promise.resolve({ ...(usage.get(`${name}|${day}`) ?? { tokens: 0, seconds: 0 }) }),
    admit(
      _scope: string,
      _limit: number,
      windowMs: number,
      budget: BudgetCheck | null,
      _lease: boolean,
      owed: Owed | null
    ) {
      calls.push({ method: 'admit', name, owed });
      if (owed) add(name, owed.day, owed.tokens, owed.seconds);
      const today = budget
        ? (usage.get(`${name}|${budget.day}`) ?? { tokens: 0, seconds: 0 })
        : undefined;
      const spent = budget && today && today.tokens >= budget.max;
      return Promise.resolve({
        allowed: !spent,
        retryAfterMs: 0,
        reason: spent ? 'budget' : 'rate',
        slots: 0,
        until: Date.now() + windowMs,
        usage: spent ? undefined : today
      });
    }
  });
  const ns = { idFromName: (name: string) => name, get: (id: string) => stub(id) };
  return { env: { LIMITER: ns } as unknown as Env, calls, usage };
}

const day = '2026-11-25';

describe('spending written to the limiter objects', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse(`${day}T12:00:00Z`) }));
  afterEach(() => vi.useRealTimers());

  it('is written once per flush, summed per device, and counts at once here', async () => {
    const { env, calls, usage } = fakeNamespace();
    const limits = limitsFor(env);
    const first = limits.spend('dev-a', day, 30, 0);
    const second = limits.spend('dev-a', day, 12, 0);
    const other = limits.spend('dev-b', day, 5, 2);
    expect(calls).toEqual([]);
    expect(await limits.usage('dev-a', day)).toEqual({ tokens: 42, seconds: 0 });
    await vi.advanceTimersByTimeAsync(SPEND_FLUSH_MS);
    await Promise.all([first, second, other]);
    expect(calls.map((c) => [c.method, c.name, c.owed?.tokens])).toEqual([
      ['spend', 'device:dev-a', 42],
      ['spend', 'device:dev-b', 5]
    ]);
    expect(usage.get(`device:dev-a|${day}`)).toEqual({ tokens: 42, seconds: 0 });
    expect(await limits.usage('dev-a', day)).toEqual({ tokens: 42, seconds: 0 });
  });

  it('rides along with an admission, which then refuses on the budget it completes', async () => {
    const { env, calls } = fakeNamespace();
    const limits = limitsFor(env);
    const budget = { day, kind: 'tokens' as const, max: 60 };
    const spent = limits.spend('dev-c', day, 60, 0);
    const admission = await limits.admitDevice('dev-c', budget);
    expect(admission).toMatchObject({ allowed: false, reason: 'budget' });
    expect(calls).toEqual([
      { method: 'admit', name: 'device:dev-c', owed: { day, tokens: 60, seconds: 0 } }
    ]);
    // Nothing is left to write for that device.
    await vi.advanceTimersByTimeAsync(SPEND_FLUSH_MS);
    await spent;
    expect(calls).toHaveLength(1);
  });

  it('is owed again when the write fails, and written with the next flush', async () => {
    let fail = true;
    const { env, calls, usage } = fakeNamespace(() => fail);
    const limits = limitsFor(env);
    const lost = limits.spend('dev-d', day, 9, 0);
    const failed = expect(lost).rejects.toThrow('object unavailable');
    await vi.advanceTimersByTimeAsync(SPEND_FLUSH_MS);
    await failed;
    expect(await limits.usage('dev-d', day)).toEqual({ tokens: 9, seconds: 0 });
    fail = false;
    const next = limits.spend('dev-d', day, 1, 0);
    await vi.advanceTimersByTimeAsync(SPEND_FLUSH_MS);
    await next;
    expect(calls.filter((c) => c.method === 'spend').map((c) => c.owed?.tokens)).toEqual([9, 10]);
    expect(usage.get(`device:dev-d|${day}`)).toEqual({ tokens: 10, seconds: 0 });
  });
});
