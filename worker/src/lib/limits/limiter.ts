import type { Env } from '../../env';
import { limitsConfig, type LimitsConfig } from '../config';
import { Leases } from './leases';
import type { Admission, BudgetCheck, DailyUsage, Limiter } from './limiter-object';
import { SPEND_FLUSH_MS, SpendBatch } from './spend-batch';
import { plusUsage, slidingHit, spentOut, utcDay, type WindowState } from './window';

/** What is being limited. */
export type LimitScope = 'device' | 'ip' | 'pair';

/** The outcome of counting one request. */
export interface LimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Where limits are counted. */
export type LimiterBackend = 'binding' | 'durable-object' | 'memory';

/** Rate limits and daily budgets, whatever counts them. */
export interface Limits {
  backend: LimiterBackend;
  hit(scope: LimitScope, key: string): Promise<LimitDecision>;
  /** The device's rate limit and, when given, its daily budget, in one round trip. */
  admitDevice(deviceId: string, budget: BudgetCheck | null): Promise<Admission>;
  usage(deviceId: string, day: string): Promise<DailyUsage>;
  /**
   * Records spending. With the Durable Object it is written in batches (spend-batch.ts): the
   * promise settles once the write this call scheduled, if any, has settled.
   */
  spend(deviceId: string, day: string, tokens: number, seconds: number): Promise<void>;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

// The in-memory fallback (one isolate only): for `wrangler dev` without bindings, or when forced.
const memoryWindows = new Map<string, WindowState>();
const memoryUsage = new Map<string, DailyUsage>();
// Slots the Durable Object counted ahead for this isolate (per-minute limits only: pairing
// attempts are rare and hourly, so they always ask).
const leases = new Leases();
const leaseKey = (name: string, limit: number, windowMs: number) => `${name}|${limit}/${windowMs}`;
// Spending recorded here and not yet written to the devices' objects, and the pending write.
const owed = new SpendBatch();
let flushing: Promise<void> | null = null;

/**
 * Writes what is owed within {@link SPEND_FLUSH_MS}. Only the request that schedules the write
 * gets its promise (its waitUntil keeps the isolate alive until the write settles); spending
 * recorded meanwhile joins that write, and its own request holds nothing, so no request waits on
 * I/O another request started. Spending that fails to be written is owed again, for the next
 * write or admission.
 */
function flushSoon(
  object: (name: string) => DurableObjectStub<Limiter>,
  deviceLease: (deviceId: string) => string
): Promise<void> {
  if (flushing) return Promise.resolve();
  flushing = new Promise<void>((resolve) => setTimeout(resolve, SPEND_FLUSH_MS)).then(async () => {
    flushing = null;
    const failures: unknown[] = [];
    await Promise.all(
      owed.drain().map(async ({ deviceId, owed: o }) => {
        try {
          const usage = await object(`device:${deviceId}`).spend(o.day, o.tokens, o.seconds);
          const still = owed.owedFor(deviceId, o.day);
          leases.spent(deviceLease(deviceId), o.day, plusUsage(usage, still));
        } catch (err) {
          owed.add(deviceId, o.day, o.tokens, o.seconds);
          failures.push(err);
        }
      })
    );
    if (failures.length) throw failures[0];
  });
  return flushing;
}

function rule(config: LimitsConfig, scope: LimitScope): { limit: number; windowMs: number } {
  if (scope === 'device') return { limit: config.devicePerMinute, windowMs: MINUTE };
  if (scope === 'ip') return { limit: config.ipPerMinute, windowMs: MINUTE };
  return { limit: config.pairPerHour, windowMs: HOUR };
}

const decision = (allowed: boolean, retryAfterMs: number): LimitDecision => ({
  allowed,
  retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000))
});

function memoryHit(name: string, limit: number, windowMs: number): LimitDecision {
  if (memoryWindows.size > 50_000) memoryWindows.clear();
  const result = slidingHit(memoryWindows.get(name), Date.now(), windowMs, limit);
  memoryWindows.set(name, result.state);
  return decision(result.allowed, result.retryAfterMs);
}

/**
 * Picks the backend: Cloudflare's Rate Limiting bindings when bound (device and IP limits; they
 * only know 10 s and 60 s periods, so hourly pairing limits stay on the Durable Object), else the
 * `LIMITER` Durable Object, else the in-memory fallback. Budgets need storage, so they live in
 * the Durable Object when there is one.
 */
export function limitsFor(env: Env): Limits {
  const config = limitsConfig(env);
  const forceMemory = config.backend === 'memory';
  const ns = forceMemory ? undefined : env.LIMITER;
  const object = (name: string) => ns!.get(ns!.idFromName(name));
  const device = rule(config, 'device');
  const deviceLease = (deviceId: string) =>
    leaseKey(`device:${deviceId}`, device.limit, device.windowMs);
  const bindingFor = (scope: LimitScope): RateLimit | undefined =>
    forceMemory
      ? undefined
      : scope === 'device'
        ? env.RATE_LIMIT_DEVICE
        : scope === 'ip'
          ? env.RATE_LIMIT_IP
          : undefined;
  const backend: LimiterBackend =
    env.RATE_LIMIT_DEVICE && env.RATE_LIMIT_IP && !forceMemory
      ? 'binding'
      : ns
        ? 'durable-object'
        : 'memory';
  return {
    backend,
    async hit(scope, key) {
      const { limit, windowMs } = rule(config, scope);
      const binding = bindingFor(scope);
      if (binding) {
        const { success } = await binding.limit({ key: `${scope}:${key}` });
        // The binding does not say when it resets; its period is at most a minute.
        return decision(success, windowMs);
      }
      if (ns) {
        const name = `${scope}:${key}`;
        const lease = scope !== 'pair';
        const held = leaseKey(name, limit, windowMs);
        if (lease && leases.take(held, Date.now())) return decision(true, 0);
        const result = await object(name).hit(scope, limit, windowMs, lease);
        if (lease) leases.grant(held, Date.now(), { slots: result.slots, until: result.until });
        return decision(result.allowed, result.retryAfterMs);
      }
      return memoryHit(`${scope}:${key}`, limit, windowMs);
    },
    async admitDevice(deviceId, budget) {
      const { limit, windowMs } = device;
      const binding = bindingFor('device');
      if (!binding && ns) {
        const held = deviceLease(deviceId);
        if (leases.take(held, Date.now(), budget)) {
          return { allowed: true, retryAfterMs: 0, reason: 'rate' };
        }
        // What this isolate owes the device's object rides along and counts before the check.
        const sending = owed.take(deviceId, budget?.day ?? utcDay(Date.now()));
        let result: Awaited<ReturnType<Limiter['admit']>>;
        try {
          result = await object(`device:${deviceId}`).admit(
            'device',
            limit,
            windowMs,
            budget,
            true,
            sending
          );
        } catch (err) {
          if (sending) owed.add(deviceId, sending.day, sending.tokens, sending.seconds);
          throw err;
        }
        const usage =
          budget && result.usage
            ? {
                day: budget.day,
                usage: plusUsage(result.usage, owed.owedFor(deviceId, budget.day))
              }
            : undefined;
        leases.grant(held, Date.now(), { slots: result.slots, until: result.until, usage });
        return {
          allowed: result.allowed,
          retryAfterMs: result.retryAfterMs,
          reason: result.reason
        };
      }
      if (budget) {
        if (spentOut(budget, await this.usage(deviceId, budget.day))) {
          return { allowed: false, retryAfterMs: 0, reason: 'budget' };
        }
      }
      const hit = await this.hit('device', deviceId);
      return { allowed: hit.allowed, retryAfterMs: hit.retryAfterSeconds * 1000, reason: 'rate' };
    },
    async usage(deviceId, day) {
      if (ns) {
        return plusUsage(
          await object(`device:${deviceId}`).usage(day),
          owed.owedFor(deviceId, day)
        );
      }
      return memoryUsage.get(`${deviceId}:${day}`) ?? { tokens: 0, seconds: 0 };
    },
    async spend(deviceId, day, tokens, seconds) {
      if (ns) {
        owed.add(deviceId, day, tokens, seconds);
        leases.owe(deviceLease(deviceId), day, { tokens, seconds });
        return flushSoon(object, deviceLease);
      }
      const key = `${deviceId}:${day}`;
      const current = memoryUsage.get(key) ?? { tokens: 0, seconds: 0 };
      memoryUsage.set(key, { tokens: current.tokens + tokens, seconds: current.seconds + seconds });
    }
  };
}
