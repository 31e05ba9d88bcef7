/** Reads and writes of captures, their audio and replies; every multi-table write is atomic. */
import type { Transcript } from '../asr/types';
import type {
  AudioRecord,
  CaptureRecord,
  CaptureSource,
  LvaDatabase,
  ReplyRecord
} from './database';
import { newId, type AudioId, type CaptureId, type ReplyId } from './ids';

/** What a deleted capture left behind, enough to undo the delete. */
export interface DeletedCapture {
  capture: CaptureRecord;
  audio: AudioRecord[];
  replies: ReplyRecord[];
}

/** Saves a new capture with its audio before any transcription, so nothing is lost if that fails. */
export async function createCapture(
  db: LvaDatabase,
  input: {
    wav: ArrayBuffer;
    sampleRate: number;
    durationMs: number;
    language: string;
    source: CaptureSource;
  },
  now = Date.now()
): Promise<CaptureRecord> {
  const id = newId<CaptureId>(now);
  const audioId = newId<AudioId>(now);
  const capture: CaptureRecord = {
    id,
    createdAt: now,
    updatedAt: now,
    title: '',
    text: '',
    segments: [],
    language: input.language,
    modelId: null,
    source: input.source,
    audioId,
    durationMs: input.durationMs,
    status: 'transcribing',
    error: null,
    tags: [],
    private: false
  };
  const audio: AudioRecord = {
    id: audioId,
    captureId: id,
    mimeType: 'audio/wav',
    sampleRate: input.sampleRate,
    data: input.wav
  };
  await db.transaction('rw', db.captures, db.audio, async () => {
    await db.audio.add(audio);
    await db.captures.add(capture);
  });
  return capture;
}

/** Stores a finished transcript on a capture; a title the person chose is kept. */
export async function saveTranscript(
  db: LvaDatabase,
  id: CaptureId,
  transcript: Transcript,
  now = Date.now()
): Promise<void> {
  await db.transaction('rw', db.captures, async () => {
    const capture = await db.captures.get(id);
    if (!capture) return;
    await db.captures.update(id, {
      text: transcript.text,
      segments: transcript.segments,
      modelId: transcript.modelId,
      language: transcript.language,
      title: nextTitle(capture, transcript.text),
      status: 'ready',
      error: null,
      updatedAt: now
    });
  });
}

/** Marks a capture's transcription as failed, keeping its audio for a retry. */
export async function markFailed(
  db: LvaDatabase,
  id: CaptureId,
  message: string,
  now = Date.now()
): Promise<void> {
  await db.captures.update(id, { status: 'failed', error: message, updatedAt: now });
}

/** Marks a capture as being transcribed again. */
export async function markTranscribing(
  db: LvaDatabase,
  id: CaptureId,
  now = Date.now()
): Promise<void> {
  await db.captures.update(id, { status: 'transcribing', error: null, updatedAt: now });
}

/** Saves a person's edit of the transcript (and the title derived from it, unless they set one). */
export async function editTranscript(
  db: LvaDatabase,
  id: CaptureId,
  text: string,
  now = Date.now()
): Promise<void> {
  await db.transaction('rw', db.captures, async () => {
    const capture = await db.captures.get(id);
    if (!capture) throw new Error('This capture no longer exists.');
    await db.captures.update(id, {
      text,
      title: nextTitle(capture, text),
      updatedAt: now
    });
  });
}

/** Deletes a capture with its audio and replies; returns them so the delete can be undone. */
export async function deleteCapture(
  db: LvaDatabase,
  id: CaptureId
): Promise<DeletedCapture | null> {
  return db.transaction('rw', db.captures, db.audio, db.replies, async () => {
    const capture = await db.captures.get(id);
    if (!capture) return null;
    const audio = await db.audio.where('captureId').equals(id).toArray();
    const replies = await db.replies.where('captureId').equals(id).toArray();
    await db.audio.bulkDelete(audio.map((a) => a.id));
    await db.replies.bulkDelete(replies.map((r) => r.id));
    await db.captures.delete(id);
    return { capture, audio, replies };
  });
}

/** Puts back what {@link deleteCapture} removed. */
export async function restoreCapture(db: LvaDatabase, deleted: DeletedCapture): Promise<void> {
  await db.transaction('rw', db.captures, db.audio, db.replies, async () => {
    await db.audio.bulkPut(deleted.audio);
    await db.replies.bulkPut(deleted.replies);
    await db.captures.put(deleted.capture);
  });
}

/** All captures, newest first. */
export function listCaptures(db: LvaDatabase): Promise<CaptureRecord[]> {
  return db.captures.orderBy('createdAt').reverse().toArray();
}

/** Stores a finished reply to a capture. */
export async function addReply(
  db: LvaDatabase,
  input: Omit<ReplyRecord, 'id' | 'createdAt'>,
  now = Date.now()
): Promise<ReplyRecord> {
  const reply: ReplyRecord = { ...input, id: newId<ReplyId>(now), createdAt: now };
  await db.replies.add(reply);
  return reply;
}

/** Replies to a capture, oldest first. */
export function listReplies(db: LvaDatabase, captureId: CaptureId): Promise<ReplyRecord[]> {
  return db.replies.where('captureId').equals(captureId).sortBy('createdAt');
}

/** The title after the text changes: re-derived unless the person set their own. */
function nextTitle(capture: CaptureRecord, text: string): string {
  const automatic = capture.title === '' || capture.title === titleFrom(capture.text);
  return automatic ? titleFrom(text) : capture.title;
}

/** A short title from the first words of a transcript. */
export function titleFrom(text: string, maxChars = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= maxChars) return clean;
  const cut = clean.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).replace(/[,.;:!?-]+$/, '')}…`;
}
