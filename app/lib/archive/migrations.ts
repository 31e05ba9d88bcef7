/**
 * Format migrations: an archive written by an older version of the app is brought up to the
 * current format record by record before validation. Each released format version has a frozen
 * fixture in tests/fixtures/archive/ that the tests import with the current app.
 *
 * To release format v2: bump ARCHIVE_FORMAT_VERSION, add `2: { manifest, record }` below (how a v1
 * manifest and v1 line become v2), keep the v1 schemas' differences in mind, and freeze a v2
 * fixture next to v1's.
 */
import { ArchiveError } from './errors';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, type ArchiveTable } from './format';

type Json = Record<string, unknown>;

interface Migration {
  /** Turns a manifest of the previous version into this version's. */
  manifest(manifest: Json): Json;
  /** Turns a line of the previous version into this version's (null drops it). */
  record(table: ArchiveTable, line: Json): Json | null;
}

/** Migrations to version n (from n - 1). Version 1 is the first release: nothing to migrate. */
export const MIGRATIONS: Record<number, Migration> = {};

/** Reads the format version of a parsed manifest, refusing what is not ours or too new. */
export function formatVersionOf(manifest: unknown): number {
  const m = manifest as Json | null;
  if (!m || typeof m !== 'object' || m.format !== ARCHIVE_FORMAT)
    throw new ArchiveError('not_an_archive', 'This zip is not a Learning Voice Agent archive.');
  const version = m.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new ArchiveError(
      'not_an_archive',
      'This archive does not say which format version it has.'
    );
  if (version > ARCHIVE_FORMAT_VERSION)
    throw new ArchiveError(
      'unsupported_version',
      `This archive was made by a newer version of the app (format ${version}; this app reads up to ${ARCHIVE_FORMAT_VERSION}). Update the app, then import it again.`
    );
  return version;
}

/** Brings a manifest from `from` up to the current format version. */
export function migrateManifest(manifest: Json, from: number): Json {
  let m = manifest;
  for (let v = from + 1; v <= ARCHIVE_FORMAT_VERSION; v++) m = MIGRATIONS[v]!.manifest(m);
  return m;
}

/** Brings one line from `from` up to the current format version (null: the line is dropped). */
export function migrateRecord(table: ArchiveTable, line: Json, from: number): Json | null {
  let r: Json | null = line;
  for (let v = from + 1; v <= ARCHIVE_FORMAT_VERSION && r; v++) r = MIGRATIONS[v]!.record(table, r);
  return r;
}
