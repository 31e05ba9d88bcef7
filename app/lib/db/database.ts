/**
 * The one IndexedDB database (Dexie). Versions are append-only: a new version adds a
 * `this.version(n).stores(...).upgrade(...)` block below the last one and never edits an earlier
 * one; tests open frozen fixtures of every released version (tests/fixtures/db/).
 */
import { Dexie, type EntityTable } from 'dexie';
import type { TranscriptSegment } from '../asr/types';
import type { AudioId, CaptureId, ReplyId } from './ids';

/** Where a capture came from. */
export type CaptureSource = 'mic' | 'import';
/** Transcription state of a capture. */
export type CaptureStatus = 'transcribing' | 'ready' | 'failed';

/** A saved capture: what the person said, with its timestamps and audio. */
export interface CaptureRecord {
  id: CaptureId;
  createdAt: number;
  updatedAt: number;
  title: string;
  text: string;
  segments: TranscriptSegment[];
  language: string;
  /** The model that produced `text`, or null before transcription. */
  modelId: string | null;
  source: CaptureSource;
  audioId: AudioId | null;
  durationMs: number;
  status: CaptureStatus;
  /** Why transcription failed (the audio is kept). */
  error: string | null;
}

/** Recorded audio, stored as WAV bytes (16 kHz mono PCM16). */
export interface AudioRecord {
  id: AudioId;
  captureId: CaptureId;
  mimeType: 'audio/wav';
  sampleRate: number;
  /** WAV file bytes; an ArrayBuffer rather than a Blob so it survives every structured clone. */
  data: ArrayBuffer;
}

/** Who wrote a reply. */
export type ReplySource = 'claude' | 'offline-coach';

/** A reply of the learning partner to a capture. */
export interface ReplyRecord {
  id: ReplyId;
  captureId: CaptureId;
  createdAt: number;
  text: string;
  source: ReplySource;
  model: string | null;
}

/** Name of the production database. */
export const DATABASE_NAME = 'learning-voice-agent';

/** The app's database; construct with another name in tests. */
export class LvaDatabase extends Dexie {
  captures!: EntityTable<CaptureRecord, 'id'>;
  audio!: EntityTable<AudioRecord, 'id'>;
  replies!: EntityTable<ReplyRecord, 'id'>;

  constructor(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    // v1 (released in the foundation): captures listed newest first, audio and replies by capture.
    this.version(1).stores({
      captures: 'id, createdAt, updatedAt',
      audio: 'id, captureId',
      replies: 'id, captureId, createdAt'
    });
  }
}

let instance: LvaDatabase | null = null;

/** The app-wide database, opened on first use. */
export function getDb(): LvaDatabase {
  instance ??= new LvaDatabase();
  return instance;
}
