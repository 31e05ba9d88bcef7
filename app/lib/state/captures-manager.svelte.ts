import { keepCurrentVersion } from '../asr/transcript-history';
import type { Transcript } from '../asr/types';
import {
  discardRecording,
  finishRecording,
  listInterrupted,
  readRecording
} from '../audio/recording-store';
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
import {
  getDb,
  type CaptureRecord,
  type CaptureSource,
  type RecordingRecord
} from '../db/database';
import type { CaptureId, RecordingId } from '../db/ids';
import { Outbox, PermanentFailure } from '../queue/outbox';
import type { SearchHit } from '../search/keyword-search';
import { LiveQueryValue } from './live-query.svelte';
import type { Recording, Utterance } from './recorder-manager.svelte';
import { settingsManager } from './settings-manager.svelte';
import { transcribeSamples } from './segmented-transcription';
import { TranscriptionUnavailable } from './transcriber-manager.svelte';

const SAMPLE_RATE = 16_000;

/** A capture in the list, with its search hit when a query is active. */
export interface ListedCapture {
  capture: CaptureRecord;
  hit: SearchHit | null;
}

/**
 * The capture library: the live list, saving recordings (and hands-free utterances), finishing
 * interrupted recordings, re-transcription with history, the queue of transcriptions waiting for a
 * model or the network, edit, delete and undo (search: search-manager).
 */
class CapturesManager {
  readonly all = new LiveQueryValue(() => listCaptures(getDb()), [] as CaptureRecord[]);
  /** Recordings cut short by a crash or reload, waiting to be finished or discarded. */
  readonly interrupted = new LiveQueryValue(
    () => listInterrupted(getDb()),
    [] as RecordingRecord[]
  );
  // Raw, not deep state: the records go back into IndexedDB, which cannot clone Svelte's proxies.
  #lastDeleted = $state.raw<DeletedCapture | null>(null);
  #resumed = false;
  #outbox: Outbox | null = null;

  /** The capture that was just deleted, while its undo is offered. */
  get lastDeleted(): CaptureRecord | null {
    return this.#lastDeleted?.capture ?? null;
  }

  /**
   * Saves a recording as a capture (audio first, in the same transaction that retires its stored
   * chunks, so the audio always exists somewhere), then stores its live transcript or transcribes
   * the audio. Returns the new capture's id.
   */
  async saveRecording(recording: Recording): Promise<CaptureId> {
    const id = await this.#create(recording.samples, 'mic', recording.recordingId);
    void recording.transcript
      .then((live) => (live ? this.#save(id, live) : this.#transcribe(id, recording.samples)))
      .catch(() => this.#transcribe(id, recording.samples));
    return id;
  }

  /** Saves one hands-free utterance as its own capture. */
  async saveUtterance(utterance: Utterance): Promise<CaptureId> {
    const id = await this.#create(utterance.samples, 'mic', null);
    const { final } = utterance;
    if (!utterance.transcribed) {
      void this.#transcribe(id, utterance.samples);
      return id;
    }
    const offset = final.speech.start / SAMPLE_RATE;
    await this.#save(id, {
      text: final.text,
      segments: final.segments.map((s) => ({ ...s, start: s.start - offset, end: s.end - offset })),
      language: settingsManager.language,
      modelId: settingsManager.asrModelId
    });
    return id;
  }

  /** Retires a hands-free recording once its utterances are saved (their audio is kept with them). */
  async closeRecording(id: RecordingId | null): Promise<void> {
    if (id) await finishRecording(getDb(), id, null);
  }

  /** Finishes an interrupted recording from its stored chunks: a capture, transcribed. */
  async recoverRecording(id: RecordingId): Promise<CaptureId | null> {
    const samples = await readRecording(getDb(), id);
    if (samples.length === 0) {
      await discardRecording(getDb(), id);
      return null;
    }
    const captureId = await this.#create(samples, 'mic', id);
    void this.#transcribe(captureId, samples);
    return captureId;
  }

  /** Deletes an interrupted recording and its audio. */
  async discardRecording(id: RecordingId): Promise<void> {
    await discardRecording(getDb(), id);
  }

  /** Imports decoded audio as a capture and transcribes it, reporting progress. */
  async importAudio(
    samples: Float32Array,
    onProgress?: (fraction: number) => void
  ): Promise<CaptureId> {
    const id = await this.#create(samples, 'import', null);
    await this.#transcribe(id, samples, onProgress);
    return id;
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

  /** Transcribes a capture again with the current model and settings, keeping the old text. */
  async retranscribe(id: CaptureId): Promise<void> {
    const capture = await getDb().captures.get(id);
    if (!capture) return;
    await keepCurrentVersion(getDb(), capture);
    await this.retry(id);
  }

  /** Resumes transcriptions cut short by a reload or crash, and the queue (once per session). */
  async resumeInterrupted(): Promise<void> {
    if (this.#resumed) return;
    this.#resumed = true;
    const pending = await getDb()
      .captures.filter((c) => c.status === 'transcribing')
      .toArray();
    for (const capture of pending) await this.retry(capture.id);
    globalThis.addEventListener?.('online', () => void this.#queue().drain(true));
    await this.#queue().drain();
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

  async #create(samples: Float32Array, source: CaptureSource, recordingId: RecordingId | null) {
    const db = getDb();
    return db.transaction('rw', db.captures, db.audio, db.recordings, db.audioChunks, async () => {
      const capture = await createCapture(db, {
        wav: encodeWav(samples, SAMPLE_RATE),
        sampleRate: SAMPLE_RATE,
        durationMs: Math.round((samples.length / SAMPLE_RATE) * 1000),
        language: settingsManager.language,
        source
      });
      if (recordingId) await finishRecording(db, recordingId, capture.id);
      return capture.id;
    });
  }

  async #save(id: CaptureId, transcript: Transcript): Promise<void> {
    await saveTranscript(getDb(), id, transcript);
  }

  async #transcribe(
    id: CaptureId,
    samples: Float32Array,
    onProgress?: (fraction: number) => void
  ): Promise<void> {
    try {
      await this.#save(id, await transcribeSamples(samples, onProgress));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof TranscriptionUnavailable) {
        await markFailed(getDb(), id, message);
        await this.#queue().enqueue('transcribe', { captureId: id });
        void this.#queue().schedule();
        return;
      }
      await markFailed(getDb(), id, `${message} The recording is saved; you can try again.`);
    }
  }

  #queue(): Outbox {
    this.#outbox ??= new Outbox(getDb(), {
      transcribe: async (payload) => {
        const { captureId } = payload as { captureId: CaptureId };
        const samples = await this.#storedSamples(captureId);
        if (!samples) throw new PermanentFailure('The capture or its audio no longer exists.');
        await markTranscribing(getDb(), captureId);
        try {
          await this.#save(captureId, await transcribeSamples(samples));
        } catch (err) {
          await markFailed(getDb(), captureId, err instanceof Error ? err.message : String(err));
          throw err;
        }
      }
    });
    return this.#outbox;
  }

  async #storedSamples(id: CaptureId): Promise<Float32Array | null> {
    const audio = await getDb().audio.where('captureId').equals(id).first();
    return audio ? decodeWav(audio.data).samples : null;
  }
}

/** The app's capture library. */
export const capturesManager = new CapturesManager();
