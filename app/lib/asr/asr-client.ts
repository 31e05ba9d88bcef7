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

  /** Transcribes 16 kHz mono audio. The buffer is copied, so the caller keeps its samples. */
  async transcribe(
    audio: Float32Array,
    language: string,
    options: { prompt?: string; timestamps?: boolean } = {}
  ): Promise<ResultResponse> {
    const copy = audio.slice();
    return (await this.send({ type: 'transcribe', audio: copy, language, ...options }, undefined, [
      copy.buffer
    ])) as ResultResponse;
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
    transfer: Transferable[] = []
  ): Promise<AsrResponse> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ ...request, id }, transfer);
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
