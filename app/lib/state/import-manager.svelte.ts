import { decodeAudioFile } from '../audio/decode-file';
import { capturesManager } from './captures-manager.svelte';

/** One file being imported. */
export interface ImportJob {
  key: number;
  name: string;
  stage: 'decoding' | 'transcribing' | 'done' | 'error';
  fraction: number;
  message: string | null;
}

/** Imports audio files as captures, one at a time, with progress per file. */
class ImportManager {
  #jobs = $state<ImportJob[]>([]);
  #next = 1;
  #queue: Promise<void> = Promise.resolve();

  /** Files imported in this session (finished ones stay listed until dismissed). */
  get jobs(): ImportJob[] {
    return this.#jobs;
  }

  /** Queues files for import. */
  add(files: Iterable<File>): void {
    for (const file of files) {
      const job: ImportJob = {
        key: this.#next++,
        name: file.name,
        stage: 'decoding',
        fraction: 0,
        message: null
      };
      this.#jobs.push(job);
      this.#queue = this.#queue.then(() => this.#run(job.key, file));
    }
  }

  /** Removes finished jobs from the list. */
  clearFinished(): void {
    this.#jobs = this.#jobs.filter((j) => j.stage === 'decoding' || j.stage === 'transcribing');
  }

  async #run(key: number, file: File): Promise<void> {
    const update = (patch: Partial<ImportJob>) => {
      const job = this.#jobs.find((j) => j.key === key);
      if (job) Object.assign(job, patch);
    };
    try {
      const samples = await decodeAudioFile(file);
      if (samples.length < 1600)
        throw new Error('This file holds less than a tenth of a second of audio.');
      update({ stage: 'transcribing', fraction: 0 });
      await capturesManager.importAudio(samples, (fraction) => update({ fraction }));
      update({ stage: 'done', fraction: 1 });
    } catch (err) {
      update({ stage: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** The app's file importer. */
export const importManager = new ImportManager();
