/**
 * Main-thread side of the transcription worker: turns protocol messages into promises and
 * progress callbacks. The worker is created lazily on first use.
 */
import type {
  AsrErrorCode,
  AsrRequest,
  AsrResponse,
  LoadedResponse,
  ProgressResponse,
  ResultResponse
} from './protocol';
import type { AsrDevice } from './types';

/** A failure reported by the worker, with its stable code. */
export class AsrError extends Error {
  override name = 'AsrError';
  constructor(
    readonly code: AsrErrorCode | 'worker_crashed',
    message: string
  ) {
    super(message);
  }
}

interface Pending {
  resolve(value: AsrResponse): void;
  reject(error: AsrError): void;
  onProgress?: (p: ProgressResponse) => void;
}

type Omit2<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Talks to `asr.worker.ts`. */
export class AsrClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly createWorker: () => Worker) {}

  /** Loads a model (with per-file progress) and resolves once it is warmed up. */
  async load(
    modelId: string,
    options: {
      device?: AsrDevice | 'auto';
      allowHub?: boolean;
      threads?: number;
      onProgress?: (p: ProgressResponse) => void;
    } = {}
  ): Promise<LoadedResponse> {
    const request = {
      type: 'load',
      modelId,
      device: options.device ?? 'auto',
      allowHub: options.allowHub ?? false,
      threads: options.threads
    } as const;
    return (await this.send(request, options.onProgress)) as LoadedResponse;
  }

  /**
   * Transcribes 16 kHz mono audio. The buffer is copied, so the caller keeps its samples. An
   * aborted `signal` stops the decode within a token (cross-origin isolated pages; elsewhere the
   * decode runs to its end) and rejects with code `cancelled`.
   */
  async transcribe(
    audio: Float32Array,
    language: string,
    options: {
      prompt?: string;
      timestamps?: boolean;
      /** Tokens the output starts with (see forced-prefix.ts). */
      forced?: number[];
      signal?: AbortSignal;
    } = {}
  ): Promise<ResultResponse> {
    const { signal, ...rest } = options;
    if (signal?.aborted) throw new AsrError('cancelled', 'The transcription was cancelled.');
    const copy = audio.slice();
    const cancel = signal ? this.cancelFlag() : undefined;
    const request = { type: 'transcribe', audio: copy, language, ...rest, cancel } as const;
    return (await this.send(request, undefined, [copy.buffer], (id) =>
      signal?.addEventListener('abort', () => cancel && Atomics.store(cancel, 0, id), {
        once: true
      })
    )) as ResultResponse;
  }

  #cancel: Int32Array | null | undefined;

  /** One shared flag for every request (ids are unique); null where memory cannot be shared. */
  private cancelFlag(): Int32Array | undefined {
    if (this.#cancel === undefined) {
      this.#cancel =
        typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated
          ? new Int32Array(new SharedArrayBuffer(4))
          : null;
    }
    return this.#cancel ?? undefined;
  }

  /** Stops the worker; pending calls fail. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failAll('The transcription worker was stopped.');
  }

  private send(
    request: Omit2<AsrRequest>,
    onProgress?: (p: ProgressResponse) => void,
    transfer: Transferable[] = [],
    onSent?: (id: number) => void
  ): Promise<AsrResponse> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ ...request, id }, transfer);
      onSent?.(id);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<AsrResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.worker = null;
      worker.terminate();
      this.failAll(`The transcription worker crashed: ${event.message || 'unknown error'}`);
    };
    this.worker = worker;
    return worker;
  }

  private receive(message: AsrResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'error') pending.reject(new AsrError(message.code, message.message));
    else pending.resolve(message);
  }

  private failAll(message: string): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new AsrError('worker_crashed', message));
    }
  }
}
