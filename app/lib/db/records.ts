/**
 * The shapes of every record in the app's IndexedDB, as of the current schema version
 * (database.ts). Fields added by a later version are documented with the version that added them.
 */
import type { TranscriptSegment } from '../asr/types';
import type {
  AudioId,
  CaptureId,
  ConversationId,
  OutboxId,
  PassageId,
  RecordingId,
  ReplyId,
  TranscriptVersionId,
  TurnId
} from './ids';

/** Where a capture came from. */
export type CaptureSource = 'mic' | 'import' | 'markdown';
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
  /** v2: the person's tags. */
  tags: string[];
  /** v2: searchable on this device, never sent anywhere. */
  private: boolean;
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

/** A reply of the learning partner to a capture (v1). */
export interface ReplyRecord {
  id: ReplyId;
  captureId: CaptureId;
  createdAt: number;
  text: string;
  source: ReplySource;
  model: string | null;
}

/** v2: an earlier transcript of a capture, kept when the capture is transcribed again. */
export interface TranscriptVersionRecord {
  id: TranscriptVersionId;
  captureId: CaptureId;
  /** When this version was replaced. */
  createdAt: number;
  modelId: string | null;
  language: string;
  text: string;
  segments: TranscriptSegment[];
}

/**
 * v2: a recording whose audio is written to `audioChunks` while it is captured, so a crash or
 * reload loses at most the last chunk. `finished` once its capture exists.
 */
export interface RecordingRecord {
  id: RecordingId;
  startedAt: number;
  updatedAt: number;
  sampleRate: number;
  status: 'recording' | 'finished';
  /** The capture made from it, once finished. */
  captureId: CaptureId | null;
  /** Samples stored so far, over all chunks. */
  samples: number;
}

/** v2: one chunk of a recording's audio: 16-bit little-endian mono PCM at the recording's rate. */
export interface AudioChunkRecord {
  recordingId: RecordingId;
  seq: number;
  data: ArrayBuffer;
}

/** v2: a piece of a capture's text, the unit of embedding and of meaning search. */
export interface PassageRecord {
  id: PassageId;
  captureId: CaptureId;
  /** Position of the passage in its capture, from 0. */
  index: number;
  text: string;
  /** Audio span in seconds, when known. */
  start: number | null;
  end: number | null;
}

/** v2: a passage's embedding under one model. */
export interface EmbeddingRecord {
  passageId: PassageId;
  captureId: CaptureId;
  modelId: string;
  dims: number;
  /** 'f32': Float32 values; 'i8': Int8 values to multiply by `scale`. */
  encoding: 'f32' | 'i8';
  vector: ArrayBuffer;
  scale: number;
  createdAt: number;
}

/** v2: a conversation with the learning partner. */
export interface ConversationRecord {
  id: ConversationId;
  createdAt: number;
  updatedAt: number;
  title: string;
  summary: string | null;
  takeaways: string[];
  tags: string[];
}

/** v2: one turn of a conversation. */
export interface TurnRecord {
  id: TurnId;
  conversationId: ConversationId;
  createdAt: number;
  role: 'user' | 'assistant';
  text: string;
  /** Who produced it: the person, Claude, or the on-device coach. */
  source: 'person' | ReplySource;
  /** The capture a user turn was recorded as. */
  captureId: CaptureId | null;
  model: string | null;
  /** The prompt strategy used for an assistant turn. */
  strategy: string | null;
  /** Exactly what was sent to the cloud for an assistant turn (null when nothing was). */
  sent: unknown;
  /** Captures the reply drew on. */
  citations: CaptureId[];
  /** Stage timings in milliseconds (end-of-turn wait, first token, …). */
  timings: Record<string, number>;
}

/** v2: a request waiting for the network, retried with backoff; survives reloads. */
export interface OutboxRecord {
  id: OutboxId;
  kind: 'chat' | 'transcribe' | 'summary';
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  payload: unknown;
}

/** v2: a setting stored with the data (settings that travel with an export). */
export interface SettingRecord {
  key: string;
  value: unknown;
}
