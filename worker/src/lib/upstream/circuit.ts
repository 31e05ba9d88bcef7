import type { CircuitState } from '$contract';

/** Which upstream a breaker guards. */
export type UpstreamName = 'anthropic' | 'transcription';

/**
 * A circuit breaker for one upstream, per isolate: after `threshold` consecutive failures it opens
 * and refuses calls at once for `cooldownMs`; then one probe is let through (half-open), whose
 * outcome closes it again or reopens it for another cooldown.
 */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | null = null;
  #probing = false;

  constructor(
    public threshold: number,
    public cooldownMs: number
  ) {}

  /** The state as health reports it. */
  state(now = Date.now()): CircuitState {
    if (this.#openedAt === null) return 'closed';
    return now - this.#openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open state only one probe at a time. */
  tryAcquire(now = Date.now()): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** Milliseconds until the next probe may go out (0 when closed). */
  retryInMs(now = Date.now()): number {
    if (this.#openedAt === null) return 0;
    return Math.max(0, this.#openedAt + this.cooldownMs - now);
  }

  /** The upstream answered properly. */
  success(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#probing = false;
  }

  /** The upstream failed (5xx, overloaded, timeout, connection error). */
  failure(now = Date.now()): void {
    this.#failures += 1;
    if (this.#probing || this.#failures >= this.threshold) this.#openedAt = now;
    this.#probing = false;
  }

  /** A call ended without a verdict (e.g. the client went away): frees a half-open probe slot. */
  release(): void {
    this.#probing = false;
  }
}

const breakers = new Map<UpstreamName, CircuitBreaker>();

/** The breaker of an upstream in this isolate, with the current thresholds. */
export function breakerFor(name: UpstreamName, threshold: number, cooldownMs: number) {
  let breaker = breakers.get(name);
  if (!breaker) {
    breaker = new CircuitBreaker(threshold, cooldownMs);
    breakers.set(name, breaker);
  }
  breaker.threshold = threshold;
  breaker.cooldownMs = cooldownMs;
  return breaker;
}
