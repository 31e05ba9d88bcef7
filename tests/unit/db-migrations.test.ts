/**
 * Schema migrations, tested against frozen dumps of every released schema version.
 *
 * RULE FOR FUTURE VERSIONS: each new schema version (a new `this.version(n)` block in
 * app/lib/db/database.ts) must add its own frozen fixture, tests/fixtures/db/v<n>.json, written
 * with exactly that version's stores, and an entry in FIXTURES below, so that this file tests an
 * upgrade from EVERY older fixture to the current schema. Fixtures are never edited once released:
 * they stand for databases that already exist on people's devices.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Dexie } from 'dexie';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '$lib/audio/wav';
import { deleteCapture, listCaptures, listReplies, restoreCapture } from '$lib/db/captures-repo';
import {
  LvaDatabase,
  SCHEMA_VERSION,
  type AudioRecord,
  type CaptureRecord,
  type ReplyRecord
} from '$lib/db/database';
import { fakeIdb } from './helpers/app-db';

/** A fixture file as stored: ArrayBuffer fields are `{ $base64 }`. */
interface DbFixture {
  schemaVersion: number;
  stores: Record<string, string>;
  tables: Record<string, Record<string, unknown>[]>;
}

/** A released schema version: its fixture and its exact store definitions. */
interface FixtureEntry {
  version: number;
  file: string;
  stores: Record<string, string>;
}

/** Every released schema version. */
const FIXTURES: FixtureEntry[] = [
  {
    version: 1,
    file: 'v1.json',
    stores: {
      captures: 'id, createdAt, updatedAt',
      audio: 'id, captureId',
      replies: 'id, captureId, createdAt'
    }
  },
  {
    version: 2,
    file: 'v2.json',
    stores: {
      captures: 'id, createdAt, updatedAt, *tags, source',
      audio: 'id, captureId',
      replies: 'id, captureId, createdAt',
      transcriptVersions: 'id, captureId, createdAt',
      recordings: 'id, startedAt, status',
      audioChunks: '[recordingId+seq], recordingId',
      passages: 'id, captureId',
      embeddings: '[passageId+modelId], captureId, modelId',
      conversations: 'id, createdAt, updatedAt',
      turns: 'id, conversationId, createdAt, captureId',
      outbox: 'id, kind, nextAttemptAt',
      settings: 'key'
    }
  }
];

/** Tables of the current schema. */
const CURRENT_TABLES = Object.keys(FIXTURES.at(-1)!.stores).sort();

const loadFixture = (file: string): DbFixture =>
  JSON.parse(
    readFileSync(fileURLToPath(new URL(`../fixtures/db/${file}`, import.meta.url)), 'utf8')
  ) as DbFixture;

const toArrayBuffer = (base64: string): ArrayBuffer => {
  const bytes = Buffer.from(base64, 'base64');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
};

/** Turns `{ $base64 }` fields back into ArrayBuffers, as they are stored. */
const revive = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      const encoded = (value as { $base64?: unknown } | null)?.$base64;
      return [key, typeof encoded === 'string' ? toArrayBuffer(encoded) : value];
    })
  );

const rows = <T>(fixture: DbFixture, table: string): T[] =>
  (fixture.tables[table] ?? []).map((row) => revive(row) as T);

/** What a capture of any older version looks like once upgraded to the current schema. */
const upgradedCapture = (row: CaptureRecord): CaptureRecord => ({
  ...row,
  tags: row.tags ?? [],
  private: row.private ?? false
});

const bytes = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer));

/**
 * Writes a fixture into a database created with a plain Dexie at the fixture's own version (not
 * the app class), closes it, and opens it again with the app's LvaDatabase.
 */
async function upgradeFrom(entry: FixtureEntry): Promise<{ db: LvaDatabase; fixture: DbFixture }> {
  const fixture = loadFixture(entry.file);
  expect(fixture.schemaVersion).toBe(entry.version);
  expect(fixture.stores).toEqual(entry.stores);
  const options = fakeIdb(new IDBFactory());
  const name = `lva-migration-v${entry.version}`;

  const old = new Dexie(name, options);
  old.version(entry.version).stores(entry.stores);
  await old.open();
  await old.transaction('rw', old.tables, async () => {
    for (const table of Object.keys(entry.stores)) {
      await old.table(table).bulkAdd(rows(fixture, table));
    }
  });
  old.close();

  const db = new LvaDatabase(name, options);
  await db.open();
  return { db, fixture };
}

it('the newest fixture is the current schema version', () => {
  expect(FIXTURES.at(-1)!.version).toBe(SCHEMA_VERSION);
  const db = new LvaDatabase('lva-schema-shape', fakeIdb());
  expect(db.verno).toBe(SCHEMA_VERSION);
  expect(db.tables.map((t) => t.name).sort()).toEqual(CURRENT_TABLES);
  for (const table of db.tables) {
    const schema = FIXTURES.at(-1)!.stores[table.name];
    const indexes = [table.schema.primKey, ...table.schema.indexes].map((i) => i.src);
    expect(indexes.join(', ')).toBe(schema);
  }
});

describe.each(FIXTURES)('upgrading a schema v$version database', (entry) => {
  it('has a realistic fixture: every status, audio for each capture, replies of both kinds', () => {
    const fixture = loadFixture(entry.file);
    const captures = rows<CaptureRecord>(fixture, 'captures');
    expect(captures.map((c) => c.status).sort()).toEqual(['failed', 'ready', 'transcribing']);
    expect(captures.find((c) => c.status === 'failed')?.error).toBeTruthy();
    expect(
      rows<AudioRecord>(fixture, 'audio')
        .map((a) => a.captureId)
        .sort()
    ).toEqual(captures.map((c) => c.id).sort());
    expect(
      rows<ReplyRecord>(fixture, 'replies')
        .map((r) => r.source)
        .sort()
    ).toEqual(['claude', 'offline-coach']);
    // Every table of its version holds at least one row, so every table is exercised.
    for (const table of Object.keys(entry.stores)) {
      expect(fixture.tables[table]?.length, table).toBeGreaterThan(0);
    }
  });

  it('opens with the app database, with every current table and every old row', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      expect(db.verno).toBe(SCHEMA_VERSION);
      expect(db.tables.map((t) => t.name).sort()).toEqual(CURRENT_TABLES);
      for (const table of Object.keys(entry.stores)) {
        expect(await db.table(table).count(), table).toBe(fixture.tables[table]!.length);
      }
    } finally {
      db.close();
    }
  });

  it('reads every capture back, upgraded to the current shape, newest first', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      const expected = rows<CaptureRecord>(fixture, 'captures')
        .map(upgradedCapture)
        .sort((a, b) => b.createdAt - a.createdAt);
      expect(await listCaptures(db)).toEqual(expected);
      // Multi-entry tag index works on upgraded rows too.
      for (const capture of expected) {
        for (const tag of capture.tags) {
          expect(await db.captures.where('tags').equals(tag).primaryKeys()).toContain(capture.id);
        }
      }
    } finally {
      db.close();
    }
  });

  it('keeps every row of the other tables intact', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      for (const table of Object.keys(entry.stores)) {
        if (table === 'captures') continue;
        const stored = await db.table(table).toArray();
        const expected = rows<Record<string, unknown>>(fixture, table);
        const comparable = (list: Record<string, unknown>[]) =>
          list
            .map((row) =>
              Object.fromEntries(
                Object.entries(row).map(([k, v]) => [k, v instanceof ArrayBuffer ? bytes(v) : v])
              )
            )
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        expect(comparable(stored as Record<string, unknown>[]), table).toEqual(
          comparable(expected)
        );
      }
    } finally {
      db.close();
    }
  });

  it('reads every reply back through its capture, and every audio as a decodable WAV', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      const replies = rows<ReplyRecord>(fixture, 'replies');
      for (const capture of rows<CaptureRecord>(fixture, 'captures')) {
        const expected = replies
          .filter((r) => r.captureId === capture.id)
          .sort((a, b) => a.createdAt - b.createdAt);
        expect(await listReplies(db, capture.id)).toEqual(expected);
      }
      for (const row of rows<AudioRecord>(fixture, 'audio')) {
        const stored = await db.audio.where('captureId').equals(row.captureId).first();
        const wav = decodeWav(stored!.data);
        expect(wav.sampleRate).toBe(row.sampleRate);
        expect(wav.samples.length).toBeGreaterThan(0);
      }
    } finally {
      db.close();
    }
  });

  it('deletes and restores an old capture with its audio and replies', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      const withReplies = rows<ReplyRecord>(fixture, 'replies')[0]!.captureId;
      const original = rows<CaptureRecord>(fixture, 'captures').find((c) => c.id === withReplies)!;
      const deleted = await deleteCapture(db, withReplies);
      expect(deleted?.capture).toEqual(upgradedCapture(original));
      expect(await db.captures.count()).toBe(2);
      await restoreCapture(db, deleted!);
      expect(await listCaptures(db)).toHaveLength(3);
      expect(await listReplies(db, withReplies)).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});
