/**
 * Main-thread side of the embedding worker: protocol messages as promises. The worker is created
 * lazily on first use and shared (one model in memory per tab).
 */
import type {
  EmbeddedResponse,
  EmbedderLoadedResponse,
  EmbedderProgressResponse,
  EmbeddingErrorCode,
  EmbeddingRequest,
  EmbeddingResponse
} from './protocol';

/** A failure reported by the worker, with its stable code. */
export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
  constructor(
    readonly code: EmbeddingErrorCode | 'worker_crashed',
    message: string
  ) {
    super(message);
  }
}

interface Pending {
  resolve(value: EmbeddingResponse): void;
  reject(error: EmbeddingError): void;
  onProgress?: (p: EmbedderProgressResponse) => void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Talks to `embedding.worker.ts` (or any Worker speaking the same protocol). */
export class EmbeddingClient {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(private readonly createWorker: () => Worker) {}

  /** Loads a model and resolves once it is warmed up. */
  async load(
    modelId: string,
    options: { allowHub?: boolean; onProgress?: (p: EmbedderProgressResponse) => void } = {}
  ): Promise<EmbedderLoadedResponse> {
    const request = { type: 'load', modelId, allowHub: options.allowHub ?? false } as const;
    return (await this.#send(request, options.onProgress)) as EmbedderLoadedResponse;
  }

  /** Unit vectors for texts, one row each. */
  async embed(texts: string[], priority: 'query' | 'index' = 'index'): Promise<Float32Array[]> {
    const result = (await this.#send({ type: 'embed', texts, priority })) as EmbeddedResponse;
    return Array.from({ length: result.count }, (_, i) =>
      result.vectors.subarray(i * result.dims, (i + 1) * result.dims)
    );
  }

  /** Stops the worker; pending calls fail. */
  terminate(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#failAll('The meaning-search worker was stopped.');
  }

  #send(
    request: WithoutId<EmbeddingRequest>,
    onProgress?: (p: EmbedderProgressResponse) => void
  ): Promise<EmbeddingResponse> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ ...request, id });
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<EmbeddingResponse>) => this.#receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#worker = null;
      worker.terminate();
      this.#failAll(`The meaning-search worker crashed: ${event.message || 'unknown error'}`);
    };
    this.#worker = worker;
    return worker;
  }

  #receive(message: EmbeddingResponse): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message);
      return;
    }
    this.#pending.delete(message.id);
    if (message.type === 'error') pending.reject(new EmbeddingError(message.code, message.message));
    else pending.resolve(message);
  }

  #failAll(message: string): void {
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(new EmbeddingError('worker_crashed', message));
    }
  }
}
