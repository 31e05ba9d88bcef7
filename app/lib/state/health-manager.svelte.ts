import type { HealthResponse } from '$contract';

/** What the app knows about its server, fetched once at start (and on demand). */
class HealthManager {
  #health = $state.raw<HealthResponse | null>(null);
  #reachable = $state<boolean | null>(null);

  /** The last health answer, or null before one arrived or when the server is unreachable. */
  get current(): HealthResponse | null {
    return this.#health;
  }

  /** Whether the server answered the last check (null: not checked yet). */
  get reachable(): boolean | null {
    return this.#reachable;
  }

  /** Whether Claude can be asked (a key is configured and the server answered). */
  get agentAvailable(): boolean {
    return this.#reachable === true && this.#health?.upstreams.anthropic.configured === true;
  }

  /** Asks the worker for its health. */
  async refresh(): Promise<void> {
    try {
      const response = await fetch('/api/health', { cache: 'no-store' });
      if (!response.ok) throw new Error(String(response.status));
      this.#health = (await response.json()) as HealthResponse;
      this.#reachable = true;
    } catch {
      this.#reachable = false;
    }
  }
}

/** Server health for the whole app. */
export const healthManager = new HealthManager();
