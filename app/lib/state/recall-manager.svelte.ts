/**
 * "What did I say about Y": answered on this device alone from the capture library's hybrid
 * search. Nothing is sent anywhere, so private captures are listed too.
 */
import { searchManager, type ShownResult } from './search-manager.svelte';

class RecallManager {
  #topic = $state<string | null>(null);
  #results = $state.raw<ShownResult[]>([]);
  #searching = $state(false);
  #seq = 0;

  /** The topic asked about last (null: nothing asked). */
  get topic(): string | null {
    return this.#topic;
  }
  /** The matching captures, best first. */
  get results(): ShownResult[] {
    return this.#results;
  }
  get searching(): boolean {
    return this.#searching;
  }

  /** Lists the captures that match a topic. */
  async lookup(topic: string): Promise<void> {
    const seq = ++this.#seq;
    this.#topic = topic;
    this.#searching = true;
    try {
      const results = await searchManager.lookup(topic);
      if (seq === this.#seq) this.#results = results;
    } finally {
      if (seq === this.#seq) this.#searching = false;
    }
  }

  /** Closes the list. */
  clear(): void {
    this.#seq++;
    this.#topic = null;
    this.#results = [];
    this.#searching = false;
  }
}

/** The app's local "what did I say about …" answers. */
export const recallManager = new RecallManager();
