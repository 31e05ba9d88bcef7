/** What model provisioning found, as written to /models/status.json by scripts/provision-models.ts. */
export interface ModelAvailability {
  id: string;
  role: 'asr' | 'embedding' | 'vad';
  available: boolean;
  /** Plain words for the person: what is missing and what that means. */
  note: string | null;
}

/** Which models this deployment has; shown so nothing pretends to work when it cannot. */
class ModelsManager {
  #models = $state.raw<ModelAvailability[] | null>(null);

  /** Models and their availability (null until fetched or when no status file exists). */
  get current(): ModelAvailability[] | null {
    return this.#models;
  }

  /** Reads /models/status.json. */
  async refresh(): Promise<void> {
    try {
      const response = await fetch('/models/status.json', { cache: 'no-store' });
      if (!response.ok) return;
      const body = (await response.json()) as { models?: ModelAvailability[] };
      this.#models = body.models ?? [];
    } catch {
      // Offline before first load: keep what we had.
    }
  }
}

/** Model availability for the whole app. */
export const modelsManager = new ModelsManager();
