/**
 * The dry run and the write of an import. Each archived record is compared with the library:
 * new, identical, updated (the archive's copy was edited later) or a conflict (the library's copy
 * is newer or differs otherwise; the library's copy is kept unless the person prefers the
 * archive's). The write runs the same comparison again inside ONE IndexedDB transaction, so what
 * is written is decided against the library as it is at that moment, and either all of it is
 * written or none of it. Importing the same archive twice writes nothing the second time.
 */
import { Dexie, type Table } from 'dexie';
import type { LvaDatabase } from '../db/database';
import { DEVICE_STATE_SETTINGS } from '../db/settings-repo';
import { canonicalJson } from './codec';
import { ArchiveError, toArchiveError } from './errors';
import { ARCHIVE_TABLES, type ArchiveTable } from './format';
import { Sha256, sha256Hex, sha256HexAsync } from './hashing';
import { recordKey, type StagedArchive } from './import-read';
import { readEntryBytes } from './zip-reader';

/** What an import does to one table. */
export interface TableSummary {
  new: number;
  updated: number;
  identical: number;
  conflicts: number;
}

/** What an import does, table by table. */
export type ImportSummary = Record<ArchiveTable, TableSummary>;

/** A checked archive and what importing it would do. */
export interface ImportPlan {
  staged: StagedArchive;
  summary: ImportSummary;
  /** On conflict, write the archive's copy instead of keeping the library's. */
  preferArchive: boolean;
}

/** Progress of the write: records written out of all. */
export type WriteProgress = (done: number, total: number) => void;

const META_FIELDS = ['path', 'bytes', 'sha256'];
const hasUpdatedAt = (t: ArchiveTable) =>
  t === 'captures' || t === 'conversations' || t === 'recordings';
const strip = (r: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(r).filter(([k]) => !META_FIELDS.includes(k)));

function tableOf(db: LvaDatabase, table: ArchiveTable): Table<Record<string, unknown>, unknown> {
  return db.table(table);
}

const dbKey = (table: ArchiveTable, r: Record<string, unknown>): unknown =>
  table === 'embeddings' ? [r.passageId, r.modelId] : table === 'settings' ? r.key : r.id;

/**
 * Whether a library record holds the same content as an archived one. Synchronous on purpose:
 * inside a Dexie transaction only IndexedDB work may be awaited, or the transaction closes early.
 */
function sameContent(
  table: ArchiveTable,
  local: Record<string, unknown>,
  staged: Record<string, unknown>,
  chunks: Map<string, ArrayBuffer[]>
): boolean {
  if (table === 'audio') {
    const { data, ...meta } = local;
    if (canonicalJson(meta) !== canonicalJson(strip(staged))) return false;
    return data instanceof ArrayBuffer && sha256Hex(new Uint8Array(data)) === staged.sha256;
  }
  if (table === 'recordings') {
    if (canonicalJson(local) !== canonicalJson(strip(staged))) return false;
    const hash = new Sha256();
    for (const chunk of chunks.get(String(local.id)) ?? []) hash.update(new Uint8Array(chunk));
    return hash.hex() === staged.sha256;
  }
  return canonicalJson(local) === canonicalJson(staged);
}

/** Decides, record by record, what importing `rows` into `table` does. */
async function decide(
  db: LvaDatabase,
  table: ArchiveTable,
  all: Record<string, unknown>[],
  preferArchive: boolean
) {
  // Another device's index state would mislead this one's indexer (see DEVICE_STATE_SETTINGS).
  const rows =
    table === 'settings' ? all.filter((r) => !DEVICE_STATE_SETTINGS.has(String(r.key))) : all;
  const summary: TableSummary = { new: 0, updated: 0, identical: 0, conflicts: 0 };
  const writes: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const existing = await tableOf(db, table).bulkGet(batch.map((r) => dbKey(table, r)));
    const chunks = new Map<string, ArrayBuffer[]>();
    if (table === 'recordings') {
      const ids = batch.map((r) => String(r.id));
      const rowsOfChunks = await db.audioChunks.where('recordingId').anyOf(ids).sortBy('seq');
      for (const c of rowsOfChunks)
        chunks.set(c.recordingId, [...(chunks.get(c.recordingId) ?? []), c.data]);
    }
    for (let j = 0; j < batch.length; j++) {
      const staged = batch[j]!;
      const local = existing[j];
      if (!local) {
        summary.new++;
        writes.push(staged);
      } else if (sameContent(table, local, staged, chunks)) {
        summary.identical++;
      } else if (hasUpdatedAt(table) && Number(staged.updatedAt) > Number(local.updatedAt)) {
        summary.updated++;
        writes.push(staged);
      } else {
        summary.conflicts++;
        if (preferArchive) writes.push(staged);
      }
    }
  }
  return { summary, writes };
}

/** The dry run: what importing a checked archive would do, writing nothing. */
export async function planImport(
  db: LvaDatabase,
  staged: StagedArchive,
  preferArchive = false
): Promise<ImportPlan> {
  const summary = {} as ImportSummary;
  await db.transaction(
    'r',
    ARCHIVE_TABLES.map((t) => db.table(t)).concat(db.table('audioChunks')),
    async () => {
      for (const table of ARCHIVE_TABLES)
        summary[table] = (await decide(db, table, staged.tables[table], preferArchive)).summary;
    }
  );
  return { staged, summary, preferArchive };
}

/** Writes a planned import in one transaction; returns what it did. */
export async function commitImport(
  db: LvaDatabase,
  plan: ImportPlan,
  onProgress?: WriteProgress
): Promise<ImportSummary> {
  const { staged } = plan;
  const summary = {} as ImportSummary;
  const scope = ARCHIVE_TABLES.map((t) => db.table(t)).concat(db.table('audioChunks'));
  try {
    await db.transaction('rw', scope, async () => {
      const decided = [];
      for (const table of ARCHIVE_TABLES) {
        const result = await decide(db, table, staged.tables[table], plan.preferArchive);
        summary[table] = result.summary;
        decided.push({ table, writes: result.writes });
      }
      const total = decided.reduce((n, d) => n + d.writes.length, 0);
      let done = 0;
      for (const { table, writes } of decided) {
        if (table === 'audio' || table === 'recordings') {
          for (const row of writes) {
            await writeBinary(db, table, row, staged);
            onProgress?.(++done, total);
          }
        } else if (writes.length > 0) {
          await tableOf(db, table).bulkPut(writes);
          done += writes.length;
          onProgress?.(done, total);
        }
      }
    });
  } catch (err) {
    throw toArchiveError(
      err,
      'write_failed',
      'Nothing was imported; the library could not be written'
    );
  }
  return summary;
}

/** Writes an audio file or a recording, reading its bytes from the archive while the transaction stays open. */
async function writeBinary(
  db: LvaDatabase,
  table: 'audio' | 'recordings',
  row: Record<string, unknown>,
  staged: StagedArchive
): Promise<void> {
  const binary = staged.binaries.get(String(row.path));
  if (!binary) throw new ArchiveError('missing_entry', `The archive lacks "${String(row.path)}".`);
  // Dexie.waitFor keeps the transaction alive while the bytes are read from the file and hashed.
  const { bytes, sha } = await Dexie.waitFor(
    readEntryBytes(staged.source, binary.entry).then(async (b) => ({
      bytes: b,
      sha: await sha256HexAsync(b)
    })),
    120_000
  );
  if (sha !== binary.sha256)
    throw new ArchiveError(
      'checksum_mismatch',
      `"${String(row.path)}" changed while it was imported.`
    );
  const data =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : bytes.slice().buffer;
  if (table === 'audio') {
    await db.audio.put({ ...strip(row), data } as never);
    return;
  }
  await db.audioChunks.where('recordingId').equals(String(row.id)).delete();
  await db.recordings.put(strip(row) as never);
  // An archive keeps a recording's bytes, not where its chunks began: they come back as one chunk.
  if (bytes.length > 0) await db.audioChunks.put({ recordingId: row.id, seq: 0, data } as never);
}

export { recordKey };
