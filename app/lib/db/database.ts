/**
 * The one IndexedDB database (Dexie). Versions are append-only: a new version adds a
 * `this.version(n).stores(...).upgrade(...)` block below the last one and never edits an earlier
 * one; tests open frozen fixtures of every released version (tests/fixtures/db/).
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import { watchLifecycle } from './db-lifecycle';
import type { RecordingId, PassageId } from './ids';
import type {
  AudioChunkRecord,
  AudioRecord,
  CaptureRecord,
  ConversationRecord,
  EmbeddingRecord,
  OutboxRecord,
  PassageRecord,
  RecordingRecord,
  ReplyRecord,
  SettingRecord,
  TranscriptVersionRecord,
  TurnRecord
} from './records';

export type * from './records';

/** Name of the production database. */
export const DATABASE_NAME = 'learning-voice-agent';

/** The current schema version (the highest `this.version(n)` below). */
export const SCHEMA_VERSION = 2;

/** The app's database; construct with another name in tests. */
export class LvaDatabase extends Dexie {
  captures!: EntityTable<CaptureRecord, 'id'>;
  audio!: EntityTable<AudioRecord, 'id'>;
  replies!: EntityTable<ReplyRecord, 'id'>;
  transcriptVersions!: EntityTable<TranscriptVersionRecord, 'id'>;
  recordings!: EntityTable<RecordingRecord, 'id'>;
  audioChunks!: Table<AudioChunkRecord, [RecordingId, number]>;
  passages!: EntityTable<PassageRecord, 'id'>;
  embeddings!: Table<EmbeddingRecord, [PassageId, string]>;
  conversations!: EntityTable<ConversationRecord, 'id'>;
  turns!: EntityTable<TurnRecord, 'id'>;
  outbox!: EntityTable<OutboxRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;

  constructor(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    // v1 (the foundation): captures listed newest first, audio and replies by capture.
    this.version(1).stores({
      captures: 'id, createdAt, updatedAt',
      audio: 'id, captureId',
      replies: 'id, captureId, createdAt'
    });
    // v2: tags and a private flag on captures; transcript history; recordings stored chunk by
    // chunk while they happen; passages and embeddings for meaning search; conversations and
    // turns; the outbox of requests waiting for the network; settings.
    this.version(2)
      .stores({
        captures: 'id, createdAt, updatedAt, *tags, source',
        transcriptVersions: 'id, captureId, createdAt',
        recordings: 'id, startedAt, status',
        audioChunks: '[recordingId+seq], recordingId',
        passages: 'id, captureId',
        embeddings: '[passageId+modelId], captureId, modelId',
        conversations: 'id, createdAt, updatedAt',
        turns: 'id, conversationId, createdAt, captureId',
        outbox: 'id, kind, nextAttemptAt',
        settings: 'key'
      })
      .upgrade((tx) =>
        tx
          .table<CaptureRecord>('captures')
          .toCollection()
          .modify((capture) => {
            capture.tags ??= [];
            capture.private ??= false;
          })
      );
  }
}

let instance: LvaDatabase | null = null;

/**
 * The app-wide database, opened on first use; a newer schema in another tab makes it stop writing
 * (db-lifecycle.ts).
 */
export function getDb(): LvaDatabase {
  instance ??= watchLifecycle(new LvaDatabase());
  return instance;
}
