/** Main-thread side of the VAD worker: promises per request, created lazily. */
import type { VadRequest, VadResponse } from './vad-protocol';

/** The provisioned Silero v5 model, served by the app itself. */
export const SILERO_URL = '/models/snakers4/silero-vad/silero_vad_v5.onnx';

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve(response: VadResponse): void;
  reject(error: Error): void;
  onProgress?: (fraction: number) => void;
}

/** Talks to vad.worker.ts; requests are answered in order. */
export class VadClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private loaded: Promise<void> | null = null;

  constructor(private readonly createWorker: () => Worker) {}

  /** Loads Silero (once). */
  load(): Promise<void> {
    this.loaded ??= this.send({ type: 'load', modelUrl: SILERO_URL }).then(
      () => undefined,
      (err: unknown) => {
        this.loaded = null;
        throw err;
      }
    );
    return this.loaded;
  }

  /** Starts a new stream (a new recording). */
  async reset(): Promise<void> {
    await this.send({ type: 'reset' });
  }

  /** Scores streamed audio; resolves with the probabilities of the frames it completed. */
  async audio(samples: Float32Array): Promise<Float32Array> {
    const copy = samples.slice();
    const r = await this.send({ type: 'audio', samples: copy }, [copy.buffer]);
    return r.type === 'probabilities' ? r.probabilities : new Float32Array(0);
  }

  /** Scores a whole buffer (an imported file), with progress. */
  async trace(
    samples: Float32Array,
    onProgress?: (fraction: number) => void
  ): Promise<Float32Array> {
    const copy = samples.slice();
    const r = await this.send({ type: 'trace', samples: copy }, [copy.buffer], onProgress);
    return r.type === 'probabilities' ? r.probabilities : new Float32Array(0);
  }

  private send(
    body: Body<VadRequest>,
    transfer: Transferable[] = [],
    onProgress?: (fraction: number) => void
  ): Promise<VadResponse> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ ...body, id }, transfer);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<VadResponse>) => {
      const message = event.data;
      const pending = this.pending.get(message.id);
      if (!pending) return;
      if (message.type === 'progress') return pending.onProgress?.(message.fraction);
      this.pending.delete(message.id);
      if (message.type === 'error') pending.reject(new Error(message.message));
      else pending.resolve(message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      this.worker = null;
      this.loaded = null;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(`The voice detector stopped: ${event.message || 'unknown error'}`));
      }
    };
    this.worker = worker;
    return worker;
  }
}

/** The app's voice detector. */
export const vadClient = new VadClient(
  () => new Worker(new URL('./vad.worker.ts', import.meta.url), { type: 'module', name: 'vad' })
);
