/**
 * Recordings written to IndexedDB while they happen (v2 `recordings` + `audioChunks`): PCM16
 * little-endian chunks, so a crash or reload loses at most the chunk not yet written. A finished
 * recording becomes a capture; an interrupted one (still 'recording' after a reload) can be
 * finished from its chunks or discarded.
 */
import type { LvaDatabase, RecordingRecord } from '../db/database';
import { newId, type CaptureId, type RecordingId } from '../db/ids';

/** Float samples in [-1, 1] to 16-bit little-endian PCM bytes. */
export function toPcm16(samples: Float32Array): ArrayBuffer {
  const out = new ArrayBuffer(samples.length * 2);
  const view = new DataView(out);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return out;
}

/** 16-bit little-endian PCM bytes to float samples. */
export function fromPcm16(data: ArrayBuffer): Float32Array {
  const view = new DataView(data);
  const out = new Float32Array(Math.floor(data.byteLength / 2));
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

/** Opens a new recording. */
export async function openRecording(
  db: LvaDatabase,
  sampleRate: number,
  now = Date.now()
): Promise<RecordingRecord> {
  const record: RecordingRecord = {
    id: newId<RecordingId>(now),
    startedAt: now,
    updatedAt: now,
    sampleRate,
    status: 'recording',
    captureId: null,
    samples: 0
  };
  await db.recordings.add(record);
  return record;
}

/** Appends one chunk (chunks are numbered by the caller from 0) and the running sample count. */
export async function appendChunk(
  db: LvaDatabase,
  id: RecordingId,
  seq: number,
  samples: Float32Array,
  now = Date.now()
): Promise<void> {
  await db.transaction('rw', db.recordings, db.audioChunks, async () => {
    await db.audioChunks.put({ recordingId: id, seq, data: toPcm16(samples) });
    await db.recordings
      .where('id')
      .equals(id)
      .modify((r) => {
        r.samples += samples.length;
        r.updatedAt = now;
      });
  });
}

/** All samples stored for a recording, in order. */
export async function readRecording(db: LvaDatabase, id: RecordingId): Promise<Float32Array> {
  const chunks = await db.audioChunks.where('recordingId').equals(id).sortBy('seq');
  const parts = chunks.map((c) => fromPcm16(c.data));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Recordings that were never finished (the tab was closed or crashed mid-recording). */
export function listInterrupted(
  db: LvaDatabase,
  exclude?: RecordingId | null
): Promise<RecordingRecord[]> {
  return db.recordings
    .where('status')
    .equals('recording')
    .filter((r) => r.id !== exclude)
    .sortBy('startedAt');
}

/**
 * Marks a recording finished (its audio now lives with its capture) and drops its chunks; call
 * inside the transaction that creates the capture, so the audio always exists in one place.
 */
export async function finishRecording(
  db: LvaDatabase,
  id: RecordingId,
  captureId: CaptureId | null,
  now = Date.now()
): Promise<void> {
  await db.audioChunks.where('recordingId').equals(id).delete();
  await db.recordings.update(id, { status: 'finished', captureId, updatedAt: now });
}

/** Deletes a recording and its chunks (the person chose to discard it). */
export async function discardRecording(db: LvaDatabase, id: RecordingId): Promise<void> {
  await db.transaction('rw', db.recordings, db.audioChunks, async () => {
    await db.audioChunks.where('recordingId').equals(id).delete();
    await db.recordings.delete(id);
  });
}
