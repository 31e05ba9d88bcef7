import { AsrClient, AsrError } from '../asr/asr-client';
import type { ProgressResponse } from '../asr/protocol';
import type { AsrDevice, Transcript } from '../asr/types';
import { settingsManager } from './settings-manager.svelte';

/** Load state of the speech model. */
export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Download progress of one model file. */
export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  done: boolean;
}

/** Owns the transcription worker: loads the model with visible progress, then transcribes. */
class TranscriberManager {
  #status = $state<ModelStatus>('idle');
  #files = $state<Record<string, FileProgress>>({});
  #device = $state<AsrDevice | null>(null);
  #error = $state<string | null>(null);
  #busy = $state(0);
  #loading: Promise<void> | null = null;
  #loadedModel: string | null = null;
  readonly #client = new AsrClient(
    () =>
      new Worker(new URL('../asr/asr.worker.ts', import.meta.url), { type: 'module', name: 'asr' })
  );

  get status(): ModelStatus {
    return this.#status;
  }
  get device(): AsrDevice | null {
    return this.#device;
  }
  get error(): string | null {
    return this.#error;
  }
  /** Whether a transcription is running. */
  get busy(): boolean {
    return this.#busy > 0;
  }
  /** Per-file download progress, in request order. */
  get files(): FileProgress[] {
    return Object.values(this.#files);
  }
  /** Overall download fraction 0..1 over files whose size is known. */
  get progress(): number {
    const files = this.files.filter((f) => f.total > 0);
    const total = files.reduce((n, f) => n + f.total, 0);
    return total === 0 ? 0 : files.reduce((n, f) => n + Math.min(f.loaded, f.total), 0) / total;
  }

  /** Loads the configured model once; later calls wait for the same load. */
  ensureLoaded(): Promise<void> {
    const modelId = settingsManager.asrModelId;
    if (this.#status === 'ready' && this.#loadedModel === modelId) return Promise.resolve();
    if (this.#loading) return this.#loading;
    this.#status = 'loading';
    this.#error = null;
    this.#files = {};
    this.#loading = this.#client
      .load(modelId, { device: 'auto', onProgress: (p) => this.#onProgress(p) })
      .then((loaded) => {
        this.#device = loaded.device;
        this.#loadedModel = loaded.modelId;
        this.#status = 'ready';
      })
      .catch((err: unknown) => {
        this.#status = 'error';
        this.#error = err instanceof Error ? err.message : String(err);
        throw err;
      })
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  /** Transcribes 16 kHz mono audio with the loaded model (loading it first if needed). */
  async transcribe(audio: Float32Array): Promise<Transcript> {
    this.#busy += 1;
    try {
      await this.ensureLoaded();
      const result = await this.#client.transcribe(audio, settingsManager.language);
      return result.transcript;
    } catch (err) {
      if (err instanceof AsrError && err.code === 'worker_crashed') this.#status = 'idle';
      throw err;
    } finally {
      this.#busy -= 1;
    }
  }

  #onProgress(p: ProgressResponse): void {
    if (!p.file || p.status === 'ready') return;
    const previous = this.#files[p.file];
    this.#files[p.file] = {
      file: p.file,
      loaded:
        p.status === 'done' ? (previous?.total ?? p.total) : p.loaded || (previous?.loaded ?? 0),
      total: p.total || (previous?.total ?? 0),
      done: p.status === 'done'
    };
  }
}

/** The app's speech recognizer. */
export const transcriberManager = new TranscriberManager();
