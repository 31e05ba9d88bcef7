/**
 * Reading an archive for import: every entry is streamed once, every checksum and size checked,
 * every line parsed, migrated and validated. Nothing is written here; the result (records without
 * their audio bytes) feeds the dry-run plan, and audio is read again only while committing.
 */
import * as v from 'valibot';
import type { EmbeddingRecord } from '../db/records';
import { fromBase64, toArrayBuffer } from './codec';
import { ArchiveError } from './errors';
import {
  ARCHIVE_TABLES,
  LIMITS,
  MANIFEST_PATH,
  TABLE_FILES,
  audioPath,
  recordingPath,
  type ArchiveTable
} from './format';
import { Sha256, sha256HexAsync } from './hashing';
import { formatVersionOf, migrateManifest, migrateRecord } from './migrations';
import { LINE_SCHEMAS, ManifestSchema, describeIssues, type Manifest } from './schemas';
import type { ArchiveSource } from './source';
import { readEntry, readEntryBytes, readZipDirectory, type ZipEntry } from './zip-reader';

/** An audio or recording file: its metadata, and where its bytes are in the archive. */
export interface StagedBinary {
  entry: ZipEntry;
  sha256: string;
}

/** Everything an archive holds, validated; binary data stays in the archive until commit. */
export interface StagedArchive {
  manifest: Manifest | null;
  /** Records ready for the database, audio without `data` (see `binaries`). */
  tables: Record<ArchiveTable, Record<string, unknown>[]>;
  /** Bytes of audio and recordings by path. */
  binaries: Map<string, StagedBinary>;
  source: ArchiveSource;
}

/** Progress while checking: entries done out of all. */
export type ReadProgress = (done: number, total: number) => void;

const decoder = new TextDecoder('utf-8', { fatal: true });
const KNOWN_TABLE_FILES = new Set<string>(Object.values(TABLE_FILES));
const invalid = (message: string) => new ArchiveError('invalid_record', message);

/** Reads and checks a whole archive. Throws an {@link ArchiveError} at the first problem. */
export async function readArchive(
  source: ArchiveSource,
  onProgress?: ReadProgress
): Promise<StagedArchive> {
  const entries = await readZipDirectory(source);
  const byPath = new Map(entries.map((e) => [e.name, e]));
  const manifestEntry = byPath.get(MANIFEST_PATH);
  if (!manifestEntry)
    throw new ArchiveError(
      'not_an_archive',
      'This zip is not a Learning Voice Agent archive (it has no manifest.json).'
    );
  if (manifestEntry.size > LIMITS.maxManifestBytes)
    throw new ArchiveError('too_large', 'manifest.json is too large.');
  const { manifest, from } = parseManifest(await readEntryBytes(source, manifestEntry));
  const listed = new Map(manifest.entries.map((e) => [e.path, e]));
  for (const entry of entries) {
    if (entry.name === MANIFEST_PATH) continue;
    if (entry.name.endsWith('.jsonl') && !KNOWN_TABLE_FILES.has(entry.name))
      throw new ArchiveError(
        'unexpected_entry',
        `"${entry.name}" is not part of this archive format.`
      );
    const item = listed.get(entry.name);
    if (!item)
      throw new ArchiveError(
        'unexpected_entry',
        `"${entry.name}" is in the archive but not in its manifest.`
      );
    if (item.bytes !== entry.size)
      throw new ArchiveError(
        'checksum_mismatch',
        `"${entry.name}" does not have the size its manifest says.`
      );
  }
  for (const path of listed.keys())
    if (!byPath.has(path))
      throw new ArchiveError(
        'missing_entry',
        `The archive lacks "${path}", which its manifest lists.`
      );

  const tables = Object.fromEntries(
    ARCHIVE_TABLES.map((t) => [t, []])
  ) as unknown as StagedArchive['tables'];
  const binaries = new Map<string, StagedBinary>();
  let done = 0;
  const total = entries.length;
  for (const table of ARCHIVE_TABLES) {
    const entry = byPath.get(TABLE_FILES[table]);
    if (!entry) continue;
    tables[table] = await readLines(source, entry, listed.get(entry.name)!.sha256, table, from);
    onProgress?.(++done, total);
  }
  checkCounts(manifest, tables);
  for (const line of [...tables.audio, ...tables.recordings]) {
    const isAudio = 'captureId' in line && 'mimeType' in line;
    const path = isAudio ? audioPath(String(line.id)) : recordingPath(String(line.id));
    const entry = byPath.get(path);
    if (line.path !== path || !entry)
      throw new ArchiveError('missing_entry', `The archive lacks the audio file "${path}".`);
    if (line.bytes !== entry.size || line.sha256 !== listed.get(path)!.sha256)
      throw new ArchiveError('checksum_mismatch', `"${path}" does not match its record.`);
    binaries.set(path, { entry, sha256: String(line.sha256) });
  }
  // Every remaining entry (audio, recordings, notes) is hashed too: a damaged byte anywhere is found.
  for (const entry of entries) {
    if (entry.name === MANIFEST_PATH || entry.name.endsWith('.jsonl')) continue;
    const sha = await hashEntry(source, entry);
    if (sha.hex !== listed.get(entry.name)!.sha256)
      throw new ArchiveError(
        'checksum_mismatch',
        `"${entry.name}" is damaged (its sha256 does not match the manifest).`
      );
    if (entry.name.startsWith('audio/') && !isWav(sha.head))
      throw invalid(`"${entry.name}" is not a WAV file.`);
    if (entry.name.startsWith('recordings/') && entry.size % 2 !== 0)
      throw invalid(`"${entry.name}" is not 16-bit audio.`);
    onProgress?.(++done, total);
  }
  checkReferences(tables);
  return { manifest, tables, binaries, source };
}

function parseManifest(bytes: Uint8Array): { manifest: Manifest; from: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new ArchiveError('not_an_archive', 'The archive’s manifest.json is not valid JSON.');
  }
  const from = formatVersionOf(raw);
  const result = v.safeParse(ManifestSchema, migrateManifest(raw as Record<string, unknown>, from));
  if (!result.success) throw invalid(`manifest.json: ${describeIssues(result.issues)}.`);
  return { manifest: result.output, from };
}

async function readLines(
  source: ArchiveSource,
  entry: ZipEntry,
  expectedSha: string,
  table: ArchiveTable,
  from: number
): Promise<Record<string, unknown>[]> {
  const hash = new Sha256();
  const rows: Record<string, unknown>[] = [];
  const keys = new Set<string>();
  let pending = new Uint8Array(0);
  let lineNo = 0;
  const onLine = (bytes: Uint8Array) => {
    lineNo++;
    if (bytes.length === 0) return;
    const where = `${entry.name} line ${lineNo}`;
    let raw: unknown;
    try {
      raw = JSON.parse(decoder.decode(bytes));
    } catch {
      throw invalid(`${where} is not valid JSON.`);
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw invalid(`${where} is not a record.`);
    const migrated = migrateRecord(table, raw as Record<string, unknown>, from);
    if (!migrated) return;
    const result = v.safeParse(LINE_SCHEMAS[table], migrated);
    if (!result.success) throw invalid(`${where}: ${describeIssues(result.issues)}.`);
    const record = toDbRecord(table, result.output, where);
    const key = recordKey(table, record);
    if (keys.has(key)) throw invalid(`${where} repeats the record ${key}.`);
    keys.add(key);
    rows.push(record);
  };
  for await (const chunk of readEntry(source, entry)) {
    hash.update(chunk);
    let data = concat(pending, chunk);
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      onLine(data.subarray(start, nl));
      start = nl + 1;
    }
    data = data.subarray(start);
    if (data.length > LIMITS.maxLineBytes)
      throw new ArchiveError(
        'too_large',
        `${entry.name} has a line over ${LIMITS.maxLineBytes} bytes.`
      );
    pending = data.slice();
  }
  if (pending.length > 0) onLine(pending);
  if (hash.hex() !== expectedSha)
    throw new ArchiveError(
      'checksum_mismatch',
      `"${entry.name}" is damaged (its sha256 does not match the manifest).`
    );
  return rows;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The database record a validated line stands for. */
function toDbRecord(
  table: ArchiveTable,
  line: Record<string, unknown>,
  where: string
): Record<string, unknown> {
  if (table !== 'embeddings') return line;
  let vector: Uint8Array;
  try {
    vector = fromBase64(String(line.vector));
  } catch {
    throw invalid(`${where}: vector is not base64.`);
  }
  const e = line as unknown as EmbeddingRecord;
  if (vector.byteLength !== e.dims * (e.encoding === 'f32' ? 4 : 1))
    throw invalid(`${where}: vector does not have ${e.dims} dimensions.`);
  return { ...line, vector: toArrayBuffer(vector) };
}

/** The primary key of a record of a table, as a string. */
export function recordKey(table: ArchiveTable, record: Record<string, unknown>): string {
  if (table === 'embeddings') return `${String(record.passageId)}|${String(record.modelId)}`;
  if (table === 'settings') return String(record.key);
  return String(record.id);
}

async function hashEntry(
  source: ArchiveSource,
  entry: ZipEntry
): Promise<{ hex: string; head: Uint8Array }> {
  // Audio and recordings are size-limited and read one at a time: hashed whole, natively.
  if (entry.name.startsWith('audio/') || entry.name.startsWith('recordings/')) {
    const bytes = await readEntryBytes(source, entry);
    return { hex: await sha256HexAsync(bytes), head: bytes.subarray(0, 12) };
  }
  const hash = new Sha256();
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of readEntry(source, entry)) {
    if (head.length < 12) head = concat(head, chunk.subarray(0, 12));
    hash.update(chunk);
  }
  return { hex: hash.hex(), head };
}

function isWav(head: Uint8Array): boolean {
  const text = String.fromCharCode(...head.subarray(0, 12));
  return text.startsWith('RIFF') && text.slice(8, 12) === 'WAVE';
}

function checkCounts(manifest: Manifest, tables: StagedArchive['tables']): void {
  for (const [table, count] of Object.entries(manifest.counts)) {
    const rows = tables[table as ArchiveTable];
    if (rows && rows.length !== count)
      throw invalid(`The manifest counts ${count} ${table} but the archive holds ${rows.length}.`);
  }
}

function checkReferences(tables: StagedArchive['tables']): void {
  const ids = (t: ArchiveTable) => new Set(tables[t].map((r) => String(r.id)));
  const captures = ids('captures');
  const audio = ids('audio');
  const passages = ids('passages');
  const conversations = ids('conversations');
  const broken = (what: string) =>
    new ArchiveError('broken_reference', `The archive is inconsistent: ${what}.`);
  for (const c of tables.captures)
    if (c.audioId !== null && !audio.has(c.audioId as string))
      throw broken(`capture ${String(c.id)} has no audio file`);
  for (const t of ['audio', 'replies', 'transcriptVersions', 'passages', 'embeddings'] as const)
    for (const r of tables[t])
      if (!captures.has(String(r.captureId)))
        throw broken(`a ${t} record points to a missing capture`);
  for (const e of tables.embeddings)
    if (!passages.has(String(e.passageId)))
      throw broken('an embedding points to a missing passage');
  for (const t of tables.turns)
    if (!conversations.has(String(t.conversationId)))
      throw broken('a turn points to a missing conversation');
}
