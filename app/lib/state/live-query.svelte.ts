import { liveQuery } from 'dexie';
import { createSubscriber } from 'svelte/reactivity';

/**
 * A Dexie liveQuery as a reactive value: reading `.current` inside an effect or template subscribes
 * to the query, and the subscription ends when nothing reads it any more.
 */
export class LiveQueryValue<T> {
  #value: T;
  #loaded = $state(false);
  #error = $state<Error | null>(null);
  readonly #subscribe: () => void;

  constructor(query: () => Promise<T>, initial: T) {
    this.#value = initial;
    this.#subscribe = createSubscriber((update) => {
      const subscription = liveQuery(query).subscribe({
        next: (value) => {
          this.#value = value;
          this.#loaded = true;
          this.#error = null;
          update();
        },
        error: (err: unknown) => {
          this.#error = err instanceof Error ? err : new Error(String(err));
          update();
        }
      });
      return () => subscription.unsubscribe();
    });
  }

  /** The latest query result (the initial value until the first result arrives). */
  get current(): T {
    this.#subscribe();
    return this.#value;
  }

  /** Whether a first result has arrived. */
  get loaded(): boolean {
    this.#subscribe();
    return this.#loaded;
  }

  /** The last query error, if any. */
  get error(): Error | null {
    this.#subscribe();
    return this.#error;
  }
}
