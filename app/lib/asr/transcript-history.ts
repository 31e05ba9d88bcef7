/** Earlier transcripts of a capture (v2 `transcriptVersions`), kept when it is transcribed again. */
import type { CaptureRecord, LvaDatabase, TranscriptVersionRecord } from '../db/database';
import { newId, type CaptureId, type TranscriptVersionId } from '../db/ids';

/** Saves the capture's current transcript as a version (nothing when it has no text yet). */
export async function keepCurrentVersion(
  db: LvaDatabase,
  capture: CaptureRecord,
  now = Date.now()
): Promise<TranscriptVersionRecord | null> {
  if (!capture.text && capture.segments.length === 0) return null;
  const version: TranscriptVersionRecord = {
    id: newId<TranscriptVersionId>(now),
    captureId: capture.id,
    createdAt: now,
    modelId: capture.modelId,
    language: capture.language,
    text: capture.text,
    segments: capture.segments
  };
  await db.transcriptVersions.add(version);
  return version;
}

/** A capture's earlier transcripts, newest first. */
export async function listVersions(
  db: LvaDatabase,
  captureId: CaptureId
): Promise<TranscriptVersionRecord[]> {
  return (
    await db.transcriptVersions.where('captureId').equals(captureId).sortBy('createdAt')
  ).reverse();
}
