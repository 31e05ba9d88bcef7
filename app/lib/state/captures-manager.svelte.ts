import { decodeWav, encodeWav } from '../audio/wav';
import {
  createCapture,
  deleteCapture,
  editTranscript,
  listCaptures,
  markFailed,
  markTranscribing,
  restoreCapture,
  saveTranscript,
  type DeletedCapture
} from '../db/captures-repo';
import { getDb, type CaptureRecord } from '../db/database';
import type { CaptureId } from '../db/ids';
import type { SearchHit } from '../search/keyword-search';
import { LiveQueryValue } from './live-query.svelte';
import type { Recording } from './recorder-manager.svelte';
import { settingsManager } from './settings-manager.svelte';
import { transcriberManager } from './transcriber-manager.svelte';

const SAMPLE_RATE = 16_000;

/** A capture in the list, with its search hit when a query is active. */
export interface ListedCapture {
  capture: CaptureRecord;
  hit: SearchHit | null;
}

/** The capture library: the live list, saving recordings, edit, delete and undo (search: search-manager). */
class CapturesManager {
  readonly all = new LiveQueryValue(() => listCaptures(getDb()), [] as CaptureRecord[]);
  // Raw, not deep state: the records go back into IndexedDB, which cannot clone Svelte's proxies.
  #lastDeleted = $state.raw<DeletedCapture | null>(null);
  #resumed = false;

  /** The capture that was just deleted, while its undo is offered. */
  get lastDeleted(): CaptureRecord | null {
    return this.#lastDeleted?.capture ?? null;
  }

  /**
   * Saves a recording as a capture (audio first, so a failed transcription loses nothing), then
   * transcribes it. Returns the new capture's id.
   */
  async saveRecording(recording: Recording): Promise<CaptureId> {
    const db = getDb();
    const capture = await createCapture(db, {
      wav: encodeWav(recording.samples, SAMPLE_RATE),
      sampleRate: SAMPLE_RATE,
      durationMs: Math.round((recording.samples.length / SAMPLE_RATE) * 1000),
      language: settingsManager.language,
      source: 'mic'
    });
    void this.#transcribe(capture.id, recording.samples);
    return capture.id;
  }

  /** Transcribes a capture again from its stored audio (after a failure). */
  async retry(id: CaptureId): Promise<void> {
    const samples = await this.#storedSamples(id);
    if (!samples) {
      await markFailed(getDb(), id, 'The audio of this capture is missing.');
      return;
    }
    await markTranscribing(getDb(), id);
    await this.#transcribe(id, samples);
  }

  /** Resumes captures whose transcription was cut short by a reload or crash (once per session). */
  async resumeInterrupted(): Promise<void> {
    if (this.#resumed) return;
    this.#resumed = true;
    const pending = await getDb()
      .captures.filter((c) => c.status === 'transcribing')
      .toArray();
    for (const capture of pending) await this.retry(capture.id);
  }

  /** Saves an edited transcript. */
  async edit(id: CaptureId, text: string): Promise<void> {
    await editTranscript(getDb(), id, text);
  }

  /** Deletes a capture, keeping it in memory so {@link undoDelete} can put it back. */
  async remove(id: CaptureId): Promise<void> {
    this.#lastDeleted = await deleteCapture(getDb(), id);
  }

  /** Restores the last deleted capture. */
  async undoDelete(): Promise<void> {
    const deleted = this.#lastDeleted;
    if (!deleted) return;
    this.#lastDeleted = null;
    await restoreCapture(getDb(), deleted);
  }

  /** Drops the undo offer. */
  forgetDeleted(): void {
    this.#lastDeleted = null;
  }

  async #transcribe(id: CaptureId, samples: Float32Array): Promise<void> {
    try {
      const transcript = await transcriberManager.transcribe(samples);
      await saveTranscript(getDb(), id, transcript);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await markFailed(getDb(), id, `${message} The recording is saved; you can try again.`);
    }
  }

  async #storedSamples(id: CaptureId): Promise<Float32Array | null> {
    const audio = await getDb().audio.where('captureId').equals(id).first();
    return audio ? decodeWav(audio.data).samples : null;
  }
}

/** The app's capture library. */
export const capturesManager = new CapturesManager();
