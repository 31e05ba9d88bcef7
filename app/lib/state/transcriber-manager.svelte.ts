import { AsrClient, AsrError } from '../asr/asr-client';
import type { LiveEngine } from '../asr/live-transcriber';
import type { ProgressResponse } from '../asr/protocol';
import type { AsrDevice, Transcript } from '../asr/types';
import { RemoteTranscribeError } from '../transcribe-fallback/transcribe-client';
import { transcribeOnServer } from '../transcribe-fallback/remote-transcriber';
import { healthManager } from './health-manager.svelte';
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

/** Transcription could not run anywhere right now; the audio is kept and the work queued. */
export class TranscriptionUnavailable extends Error {
  override name = 'TranscriptionUnavailable';
}

/** Real-time factor above which the device counts as too slow for on-device transcription. */
const SLOW_RTF = 1;

/**
 * Owns the transcription worker: loads the chosen model with visible progress (warm-up included),
 * measures how fast this device transcribes, and routes each job to the device or, when the model
 * cannot load, the device is too slow or the person prefers it, to the server.
 */
class TranscriberManager {
  #status = $state<ModelStatus>('idle');
  #files = $state<Record<string, FileProgress>>({});
  #device = $state<AsrDevice | null>(null);
  #threads = $state(1);
  #error = $state<string | null>(null);
  #busy = $state(0);
  #rtfs = $state<number[]>([]);
  #loading: Promise<void> | null = null;
  #loadedModel = $state<string | null>(null);
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
  get threads(): number {
    return this.#threads;
  }
  get modelId(): string | null {
    return this.#loadedModel;
  }
  get error(): string | null {
    return this.#error;
  }
  /** Whether a transcription is running. */
  get busy(): boolean {
    return this.#busy > 0;
  }
  /** Median real-time factor of recent on-device finals (processing time / audio time). */
  get realTimeFactor(): number | null {
    const sorted = [...this.#rtfs].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null;
  }
  /** Whether this device has proven too slow to keep up (median RTF above 1). */
  get tooSlow(): boolean {
    return this.#rtfs.length >= 2 && (this.realTimeFactor ?? 0) > SLOW_RTF;
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
  /** Where the next job runs. */
  get engine(): 'local' | 'server' {
    const choice = settingsManager.engine;
    if (choice !== 'auto') return choice;
    const serverOk = healthManager.current?.upstreams.transcription.configured === true;
    return serverOk && (this.#status === 'error' || this.tooSlow) ? 'server' : 'local';
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
        this.#threads = loaded.threads ?? 1;
        this.#loadedModel = loaded.modelId;
        this.#rtfs = [];
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

  /** An engine for live partials and finals on this device, or null when it cannot run here. */
  liveEngine(): LiveEngine | null {
    if (this.engine !== 'local' || this.#status !== 'ready') return null;
    return {
      decode: (audio, { final, signal, tokens, forced }) =>
        this.#local(audio, { timestamps: final || !!tokens, measure: final, signal, forced })
    };
  }

  /** Transcribes a whole recording where it can run now; throws {@link TranscriptionUnavailable}. */
  async transcribe(audio: Float32Array): Promise<Transcript> {
    if (this.engine === 'server') return this.#server(audio);
    try {
      await this.ensureLoaded();
    } catch (err) {
      if (settingsManager.engine === 'local') throw err;
      // The model cannot load here: the server is the fallback, else the work waits in the queue.
      return this.#server(audio);
    }
    return this.#local(audio, { timestamps: true, measure: true });
  }

  async #local(
    audio: Float32Array,
    options: { timestamps: boolean; measure: boolean; signal?: AbortSignal; forced?: number[] }
  ): Promise<Transcript> {
    this.#busy += 1;
    try {
      await this.ensureLoaded();
      const result = await this.#client.transcribe(audio, settingsManager.language, {
        prompt: settingsManager.prompt || undefined,
        timestamps: options.timestamps,
        forced: options.forced,
        signal: options.signal
      });
      if (options.measure && result.audioSeconds >= 2) {
        this.#rtfs = [...this.#rtfs.slice(-4), result.elapsedMs / 1000 / result.audioSeconds];
      }
      return result.transcript;
    } catch (err) {
      if (err instanceof AsrError && err.code === 'worker_crashed') this.#status = 'idle';
      throw err;
    } finally {
      this.#busy -= 1;
    }
  }

  async #server(audio: Float32Array): Promise<Transcript> {
    this.#busy += 1;
    try {
      return await transcribeOnServer(audio, {
        language: settingsManager.language,
        prompt: settingsManager.prompt,
        accessToken: settingsManager.accessToken || undefined
      });
    } catch (err) {
      if (err instanceof RemoteTranscribeError && err.retryable) {
        throw new TranscriptionUnavailable(
          `${err.message} The recording is kept and will be transcribed when possible.`
        );
      }
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
