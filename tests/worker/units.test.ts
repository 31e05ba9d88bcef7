/** The worker's pure parts, in Node: sliding window, backoff, circuit breaker, audio checks,
 * transcription normalisation, analytics datapoints. */
import { describe, expect, it } from 'vitest';
import { sniffAudio, wavDurationMs } from '../../worker/src/lib/audio';
import { upstreamPolicy } from '../../worker/src/lib/config';
import { languageCode } from '../../worker/src/lib/languages';
import { LEASE_MAX_MS, Leases } from '../../worker/src/lib/limits/leases';
import { SpendBatch } from '../../worker/src/lib/limits/spend-batch';
import {
  leaseSlots,
  MAX_LEASE_SLOTS,
  secondsToUtcMidnight,
  slidingHit,
  type WindowState
} from '../../worker/src/lib/limits/window';
import { analyticsPoint, writeRequestLog, type DataPoint } from '../../worker/src/lib/request-log';
import { normaliseTranscription } from '../../worker/src/lib/transcription';
import { CircuitBreaker } from '../../worker/src/lib/upstream/circuit';
import { retryAfterMs, retryDelayMs } from '../../worker/src/lib/upstream/retry';

describe('sliding window', () => {
  it('allows `limit` per window, refuses the next with the time until one is allowed', () => {
    let state: WindowState | undefined;
    const at = 60_000 * 100 + 30_000; // the middle of a window
    for (let i = 0; i < 5; i++) {
      const hit = slidingHit(state, at, 60_000, 5);
      expect(hit.allowed).toBe(true);
      state = hit.state;
    }
    const refused = slidingHit(state, at, 60_000, 5);
    expect(refused.allowed).toBe(false);
    // Wait for the window to end, then for a fifth of the weight to fade.
    expect(refused.retryAfterMs).toBe(30_000 + 12_000);
    const later = slidingHit(refused.state, at + refused.retryAfterMs, 60_000, 5);
    expect(later.allowed).toBe(true);
    const justBefore = slidingHit(refused.state, at + refused.retryAfterMs - 1000, 60_000, 5);
    expect(justBefore.allowed).toBe(false);
  });

  it('forgets windows older than the previous one', () => {
    const full = { start: 0, current: 5, previous: 5 };
    expect(slidingHit(full, 60_000 * 3, 60_000, 5).allowed).toBe(true);
  });

  it('counts seconds to midnight UTC for the daily budget', () => {
    expect(secondsToUtcMidnight(Date.UTC(2026, 0, 1, 23, 59, 0))).toBe(60);
  });
});

describe('limiter leases', () => {
  const at = 60_000 * 100 + 30_000;

  it('grant a quarter of the room left, never more than the limit in all', () => {
    expect(leaseSlots({ start: 60_000 * 100, current: 1, previous: 0 }, at, 60_000, 12)).toBe(2);
    expect(leaseSlots({ start: 60_000 * 100, current: 1, previous: 0 }, at, 60_000, 1e6)).toBe(
      MAX_LEASE_SLOTS
    );
    // The previous window still weighs half: 1 + 8 / 2 of 8 leaves 3, a quarter of which is 0.
    expect(leaseSlots({ start: 60_000 * 100, current: 1, previous: 8 }, at, 60_000, 8)).toBe(0);
    // Granting while counting every request (taken or leased) stops exactly at the limit.
    let state: WindowState | undefined;
    let admitted = 0;
    for (let i = 0; i < 40; i++) {
      const hit = slidingHit(state, at, 60_000, 12);
      if (!hit.allowed) break;
      const slots = leaseSlots(hit.state, at, 60_000, 12);
      hit.state.current += slots;
      state = hit.state;
      admitted += 1 + slots;
    }
    expect(admitted).toBe(12);
  });

  it('are taken one slot at a time, until used up, expired or the budget is spent', () => {
    const leases = new Leases();
    expect(leases.take('d', at)).toBe(false);
    leases.grant('d', at, { slots: 2, until: at + 60_000 });
    expect([leases.take('d', at), leases.take('d', at), leases.take('d', at)]).toEqual([
      true,
      true,
      false
    ]);
    // Never trusted longer than LEASE_MAX_MS, even inside its window.
    leases.grant('d', at, { slots: 5, until: at + 60_000 });
    expect(leases.take('d', at + LEASE_MAX_MS)).toBe(false);
    // A budget is checked against the usage last heard of, updated after each reply.
    const budget = { day: '2026-11-24', kind: 'tokens' as const, max: 60 };
    const usage = { day: budget.day, usage: { tokens: 30, seconds: 0 } };
    leases.grant('d', at, { slots: 3, until: at + 1000, usage });
    expect(leases.take('d', at, budget)).toBe(true);
    leases.spent('d', budget.day, { tokens: 60, seconds: 0 });
    expect(leases.take('d', at, budget)).toBe(false);
    expect(leases.take('d', at, { ...budget, day: '2026-11-25' })).toBe(false);
    // A lease granted without budget knowledge does not admit a budgeted request.
    leases.grant('e', at, { slots: 3, until: at + 1000 });
    expect(leases.take('e', at, budget)).toBe(false);
    // A grant of nothing drops what was left.
    leases.grant('e', at, { slots: 0, until: at + 1000 });
    expect(leases.take('e', at)).toBe(false);
  });

  it('count spending recorded here at once, before it is written to the object', () => {
    const leases = new Leases();
    const budget = { day: '2026-11-24', kind: 'tokens' as const, max: 60 };
    leases.grant('d', at, {
      slots: 4,
      until: at + 1000,
      usage: { day: budget.day, usage: { tokens: 20, seconds: 0 } }
    });
    leases.owe('d', budget.day, { tokens: 30, seconds: 0 });
    expect(leases.take('d', at, budget)).toBe(true);
    // Another day's spending does not count against today's budget.
    leases.owe('d', '2026-11-23', { tokens: 100, seconds: 0 });
    expect(leases.take('d', at, budget)).toBe(true);
    leases.owe('d', budget.day, { tokens: 10, seconds: 0 });
    expect(leases.take('d', at, budget)).toBe(false);
  });
});

describe('spending owed to the limiter objects', () => {
  it('adds up by device and day, and is taken once', () => {
    const batch = new SpendBatch();
    batch.add('a', '2026-11-24', 30, 0);
    batch.add('a', '2026-11-24', 12, 1.5);
    batch.add('a', '2026-11-25', 5, 0);
    batch.add('b', '2026-11-24', 7, 0);
    expect(batch.owedFor('a', '2026-11-24')).toEqual({ tokens: 42, seconds: 1.5 });
    expect(batch.owedFor('c', '2026-11-24')).toEqual({ tokens: 0, seconds: 0 });
    expect(batch.take('a', '2026-11-24')).toEqual({ day: '2026-11-24', tokens: 42, seconds: 1.5 });
    expect(batch.take('a', '2026-11-24')).toBeNull();
    expect(batch.owedFor('a', '2026-11-24')).toEqual({ tokens: 0, seconds: 0 });
    expect(batch.drain()).toEqual([
      { deviceId: 'a', owed: { day: '2026-11-25', tokens: 5, seconds: 0 } },
      { deviceId: 'b', owed: { day: '2026-11-24', tokens: 7, seconds: 0 } }
    ]);
    expect(batch.drain()).toEqual([]);
  });
});

describe('backoff', () => {
  const policy = { ...upstreamPolicy({}), backoffBaseMs: 100, backoffMaxMs: 1000 };

  it('grows exponentially with jitter and a cap', () => {
    expect(retryDelayMs(new Headers(), 0, policy, () => 0)).toBe(50);
    expect(retryDelayMs(new Headers(), 0, policy, () => 1)).toBe(100);
    expect(retryDelayMs(new Headers(), 2, policy, () => 0)).toBe(200);
    expect(retryDelayMs(new Headers(), 9, policy, () => 1)).toBe(1000);
  });

  it('honours retry-after (seconds, ms, date) and refuses waits longer than allowed', () => {
    expect(retryDelayMs(new Headers({ 'retry-after': '2' }), 0, policy, () => 0)).toBe(2000);
    expect(retryDelayMs(new Headers({ 'retry-after-ms': '150' }), 0, policy, () => 0)).toBe(150);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(
      6000
    );
    expect(retryDelayMs(new Headers({ 'retry-after': '60' }), 0, policy)).toBeNull();
  });
});

describe('circuit breaker', () => {
  it('opens at the threshold, allows one probe after the cooldown, closes on success', () => {
    const breaker = new CircuitBreaker(2, 1000);
    breaker.failure(0);
    expect(breaker.state(0)).toBe('closed');
    breaker.failure(10);
    expect(breaker.state(20)).toBe('open');
    expect(breaker.tryAcquire(20)).toBe(false);
    expect(breaker.state(1010)).toBe('half-open');
    expect(breaker.tryAcquire(1010)).toBe(true);
    expect(breaker.tryAcquire(1010)).toBe(false);
    breaker.success();
    expect(breaker.state(1020)).toBe('closed');
  });

  it('reopens when the probe fails', () => {
    const breaker = new CircuitBreaker(1, 1000);
    breaker.failure(0);
    expect(breaker.tryAcquire(1000)).toBe(true);
    breaker.failure(1000);
    expect(breaker.state(1500)).toBe('open');
  });
});

describe('audio checks', () => {
  const bytes = (text: string, pad = 16) =>
    new Uint8Array([...Buffer.from(text, 'latin1'), ...new Uint8Array(pad)]);

  it('recognises containers by their magic bytes', () => {
    expect(sniffAudio(bytes('RIFF\0\0\0\0WAVE'))).toBe('wav');
    expect(sniffAudio(bytes('OggS'))).toBe('ogg');
    expect(sniffAudio(bytes('fLaC'))).toBe('flac');
    expect(sniffAudio(bytes('\0\0\0\x20ftypM4A '))).toBe('mp4');
    expect(sniffAudio(bytes('\x1a\x45\xdf\xa3'))).toBe('webm');
    expect(sniffAudio(bytes('ID3\x04'))).toBe('mp3');
    expect(sniffAudio(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffAudio(bytes('<html>'))).toBeNull();
  });

  it('reads a WAV duration from its header', () => {
    const header = Buffer.alloc(44 + 32000);
    header.write('RIFF', 0, 'latin1');
    header.write('WAVEfmt ', 8, 'latin1');
    header.writeUInt32LE(16, 16);
    header.writeUInt32LE(32000, 28);
    header.write('data', 36, 'latin1');
    header.writeUInt32LE(32000, 40);
    expect(wavDurationMs(new Uint8Array(header))).toBe(1000);
  });
});

describe('transcription normalisation', () => {
  it('maps verbose_json language names to codes and trims segments', () => {
    const answer = normaliseTranscription(
      {
        text: ' Hallo Welt ',
        language: 'german',
        duration: 1.5,
        segments: [{ start: 0, end: 1.5, text: ' Hallo Welt' }]
      },
      { durationMs: null }
    );
    expect(answer).toEqual({
      text: 'Hallo Welt',
      language: 'de',
      durationMs: 1500,
      segments: [{ start: 0, end: 1.5, text: 'Hallo Welt' }]
    });
  });

  it('fills a plain json answer from what the worker knows', () => {
    expect(
      normaliseTranscription({ text: 'Hi there' }, { language: 'en', durationMs: 2500 })
    ).toEqual({
      text: 'Hi there',
      language: 'en',
      durationMs: 2500,
      segments: [{ start: 0, end: 2.5, text: 'Hi there' }]
    });
    expect(
      normaliseTranscription(
        { text: '', usage: { type: 'duration', seconds: 3 } },
        { durationMs: null }
      )
    ).toEqual({
      text: '',
      language: 'und',
      durationMs: 3000,
      segments: []
    });
    expect(languageCode('EN')).toBe('en');
  });
});

describe('analytics', () => {
  it('writes one datapoint per request when the binding is present, and none of the content', () => {
    const points: DataPoint[] = [];
    const env = { ANALYTICS: { writeDataPoint: (p: DataPoint) => points.push(p) } };
    const log = {
      requestId: 'r',
      method: 'POST',
      route: '/api/chat',
      status: 200,
      latencyMs: 12,
      upstreamMs: 9,
      retries: 1,
      inputTokens: 30,
      outputTokens: 40,
      content: 'secret words'
    };
    writeRequestLog(env, log);
    expect(points).toEqual([analyticsPoint(log)]);
    expect(points[0]!.doubles).toEqual([200, 12, 9, 1, 30, 40, 0]);
    expect(JSON.stringify(points)).not.toContain('secret words');
    writeRequestLog({}, log); // no binding: nothing to write, nothing thrown
  });
});
