/**
 * Export of the whole library as one zip, streamed: records are read from IndexedDB page by page
 * and audio one file at a time, so a library with gigabytes of audio never sits in memory.
 * Layout (format v1): one JSON Lines file per table, `audio/<id>.wav`, `recordings/<id>.pcm` for
 * recordings that never became a capture, `markdown/` (an Obsidian vault, one note per capture),
 * and `manifest.json` last, with the size and sha256 of every other entry.
 *
 * Not exported: the outbox (requests waiting for the network belong to this device's session; on
 * another device they would send old messages) and finished recordings' chunks (their audio is the
 * capture's WAV; the chunks are only a write-ahead buffer while recording).
 */
import { Dexie, type Table } from 'dexie';
import type { LvaDatabase } from '../db/database';
import { DEVICE_STATE_SETTINGS } from '../db/settings-repo';
import type {
  AudioRecord,
  CaptureRecord,
  ConversationRecord,
  EmbeddingRecord,
  PassageRecord,
  RecordingRecord,
  ReplyRecord,
  SettingRecord,
  TranscriptVersionRecord,
  TurnRecord
} from '../db/records';
import { embeddingToLine } from './codec';
import { ArchiveError, toArchiveError } from './errors';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  MANIFEST_PATH,
  TABLE_FILES,
  audioPath,
  recordingPath,
  type ArchiveTable
} from './format';
import { captureNote, noteFileName } from './markdown-note';
import type { Manifest } from './schemas';
import { ZipStreamWriter, type ArchiveSink, type WrittenEntry } from './zip-writer';

/** Export choices. */
export interface ExportOptions {
  /** Include meaning-search embeddings (they can be recomputed; they make the archive larger). */
  includeEmbeddings?: boolean;
  appVersion: string;
  schemaVersion: number;
  /** Archive creation time (fixtures pin it). */
  now?: number;
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
}

/** How far an export is. */
export interface ExportProgress {
  phase: 'records' | 'audio' | 'notes' | 'finishing' | 'done';
  done: number;
  total: number;
  bytesWritten: number;
}

const PAGE = 200;
const TEXT_FLUSH = 256 * 1024;
const encoder = new TextEncoder();

/** Pages through a table in primary-key order, `size` records at a time. */
export async function* pages<T>(table: Table<T>, size = PAGE): AsyncGenerator<T[]> {
  const keyPath = table.schema.primKey.keyPath as string | string[];
  let last: unknown = undefined;
  for (;;) {
    const page: T[] =
      last === undefined
        ? await table.orderBy(':id').limit(size).toArray()
        : await table.where(':id').above(last).limit(size).toArray();
    if (page.length === 0) return;
    yield page;
    const tail = page[page.length - 1] as object;
    last = Array.isArray(keyPath)
      ? keyPath.map((k) => Dexie.getByKeyPath(tail, k) as unknown)
      : (Dexie.getByKeyPath(tail, keyPath) as unknown);
    if (page.length < size) return;
  }
}

/** Writes the library to `sink` as a zip archive; returns its manifest. */
export async function exportArchive(
  db: LvaDatabase,
  sink: ArchiveSink,
  options: ExportOptions
): Promise<Manifest> {
  const now = options.now ?? Date.now();
  const zip = new ZipStreamWriter(sink, new Date(now));
  const entries: WrittenEntry[] = [];
  const counts: Record<string, number> = {};
  const modelIds = new Set<string>();
  const totalCaptures = await db.captures.count();
  const totalAudio = await db.audio.count();
  const progress = (phase: ExportProgress['phase'], done: number, total: number) =>
    options.onProgress?.({ phase, done, total, bytesWritten: zip.bytesWritten });
  const checkCancel = () => {
    if (options.signal?.aborted) throw new ArchiveError('cancelled', 'The export was cancelled.');
  };

  const writeLines = async (table: ArchiveTable, rows: AsyncIterable<unknown[]>) => {
    const entry = zip.open(TABLE_FILES[table], true);
    let buffer = '';
    let n = 0;
    for await (const page of rows) {
      checkCancel();
      for (const row of page) {
        buffer += JSON.stringify(row) + '\n';
        n++;
        if (buffer.length >= TEXT_FLUSH) {
          await entry.push(encoder.encode(buffer));
          buffer = '';
        }
      }
      if (table === 'captures') progress('records', n, totalCaptures);
    }
    if (buffer) await entry.push(encoder.encode(buffer));
    entries.push(await entry.end());
    counts[table] = n;
  };

  try {
    progress('records', 0, totalCaptures);
    await writeLines('captures', pages(db.table<CaptureRecord>('captures')));
    await writeLines('replies', pages(db.table<ReplyRecord>('replies')));
    await writeLines(
      'transcriptVersions',
      pages(db.table<TranscriptVersionRecord>('transcriptVersions'))
    );
    await writeLines('passages', pages(db.table<PassageRecord>('passages')));
    if (options.includeEmbeddings) {
      await writeLines(
        'embeddings',
        mapPages(pages(db.table<EmbeddingRecord>('embeddings')), (e) => {
          modelIds.add(e.modelId);
          return embeddingToLine(e);
        })
      );
    }
    await writeLines('conversations', pages(db.table<ConversationRecord>('conversations')));
    await writeLines('turns', pages(db.table<TurnRecord>('turns')));
    await writeLines(
      'settings',
      filterPages(
        pages(db.table<SettingRecord>('settings')),
        (s) => !DEVICE_STATE_SETTINGS.has(s.key)
      )
    );

    // Audio one file at a time; its metadata lines are written after, as audio.jsonl.
    const audioLines: unknown[] = [];
    let audioDone = 0;
    progress('audio', 0, totalAudio);
    for await (const page of pages(db.table<AudioRecord>('audio'), 8)) {
      for (const audio of page) {
        checkCancel();
        const written = await zip.add(audioPath(audio.id), new Uint8Array(audio.data), false);
        entries.push(written);
        audioLines.push(audioLine(audio, written));
        progress('audio', ++audioDone, totalAudio);
      }
    }
    await writeLines('audio', once(audioLines));

    const recordingLines = await writeRecordings(db, zip, entries);
    await writeLines('recordings', once(recordingLines));

    progress('notes', 0, totalCaptures);
    let notes = 0;
    const usedNames = new Set<string>();
    for await (const page of pages(db.table<CaptureRecord>('captures'))) {
      checkCancel();
      for (const capture of page) {
        const name = uniqueName(noteFileName(capture), usedNames);
        const replies = await db.replies.where('captureId').equals(capture.id).sortBy('createdAt');
        const audio = capture.audioId ? `../${audioPath(capture.audioId)}` : null;
        entries.push(
          await zip.add(
            `markdown/${name}`,
            encoder.encode(captureNote(capture, replies, audio)),
            true
          )
        );
      }
      notes += page.length;
      progress('notes', notes, totalCaptures);
    }

    progress('finishing', 0, 1);
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      appVersion: options.appVersion,
      schemaVersion: options.schemaVersion,
      createdAt: new Date(now).toISOString(),
      counts,
      embeddings: { included: options.includeEmbeddings === true, modelIds: [...modelIds].sort() },
      includesPrivate: (await db.captures.filter((c: CaptureRecord) => c.private).count()) > 0,
      entries
    };
    await zip.add(MANIFEST_PATH, encoder.encode(JSON.stringify(manifest, null, 2)), true);
    await zip.finish();
    progress('done', 1, 1);
    return manifest;
  } catch (err) {
    await sink.abort?.(err).catch(() => undefined);
    throw toArchiveError(err, 'export_failed', 'The export failed');
  }
}

// eslint-disable-next-line @typescript-eslint/require-await
async function* once<T>(page: T[]): AsyncGenerator<T[]> {
  yield page;
}

async function* filterPages<T>(
  source: AsyncIterable<T[]>,
  keep: (t: T) => boolean
): AsyncGenerator<T[]> {
  for await (const page of source) {
    const kept = page.filter(keep);
    if (kept.length > 0) yield kept;
  }
}

async function* mapPages<T, U>(source: AsyncIterable<T[]>, map: (t: T) => U): AsyncGenerator<U[]> {
  for await (const page of source) yield page.map(map);
}

function audioLine(audio: AudioRecord, written: WrittenEntry) {
  return {
    id: audio.id,
    captureId: audio.captureId,
    mimeType: audio.mimeType,
    sampleRate: audio.sampleRate,
    path: written.path,
    bytes: written.bytes,
    sha256: written.sha256
  };
}

/**
 * Recordings that never became a capture (the app closed mid-recording and they were not yet
 * recovered) hold audio that exists nowhere else, so they are archived: their chunks joined into
 * one PCM entry. Finished recordings are skipped (their audio is the capture's WAV).
 */
async function writeRecordings(
  db: LvaDatabase,
  zip: ZipStreamWriter,
  entries: WrittenEntry[]
): Promise<unknown[]> {
  const unfinished: RecordingRecord[] = await db.recordings
    .where('status')
    .equals('recording')
    .toArray();
  const lines: unknown[] = [];
  for (const recording of unfinished) {
    const entry = zip.open(recordingPath(recording.id), false);
    for await (const page of chunkPages(db, recording))
      for (const data of page) await entry.push(new Uint8Array(data));
    const written = await entry.end();
    entries.push(written);
    lines.push({ ...recording, path: written.path, bytes: written.bytes, sha256: written.sha256 });
  }
  return lines;
}

async function* chunkPages(
  db: LvaDatabase,
  recording: RecordingRecord
): AsyncGenerator<ArrayBuffer[]> {
  let seq = -1;
  for (;;) {
    const page = await db.audioChunks
      .where('[recordingId+seq]')
      .between([recording.id, seq + 1], [recording.id, Infinity])
      .limit(16)
      .toArray();
    if (page.length === 0) return;
    yield page.map((c) => c.data);
    seq = page[page.length - 1]!.seq;
  }
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let i = 2; used.has(candidate.toLowerCase()); i++)
    candidate = name.replace(/\.md$/, ` ${i}.md`);
  used.add(candidate.toLowerCase());
  return candidate;
}
