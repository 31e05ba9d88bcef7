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
  type AudioRecord,
  type CaptureRecord,
  type ReplyRecord
} from '$lib/db/database';
import { fakeIdb } from './helpers/app-db';

/** A fixture file as stored: audio bytes are `{ $base64 }`. */
interface DbFixture {
  schemaVersion: number;
  stores: Record<string, string>;
  tables: {
    captures: CaptureRecord[];
    audio: (Omit<AudioRecord, 'data'> & { data: { $base64: string } })[];
    replies: ReplyRecord[];
  };
}

/** Every released schema version: its fixture and its exact store definitions. */
const FIXTURES = [
  {
    version: 1,
    file: 'v1.json',
    stores: {
      captures: 'id, createdAt, updatedAt',
      audio: 'id, captureId',
      replies: 'id, captureId, createdAt'
    }
  }
];

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

const audioRows = (fixture: DbFixture): AudioRecord[] =>
  fixture.tables.audio.map((row) => ({ ...row, data: toArrayBuffer(row.data.$base64) }));

const bytes = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer));

/**
 * Writes a fixture into a database created with a plain Dexie at the fixture's own version (not
 * the app class), closes it, and opens it again with the app's LvaDatabase.
 */
async function upgradeFrom(
  entry: (typeof FIXTURES)[number]
): Promise<{ db: LvaDatabase; fixture: DbFixture }> {
  const fixture = loadFixture(entry.file);
  expect(fixture.schemaVersion).toBe(entry.version);
  expect(fixture.stores).toEqual(entry.stores);
  const options = fakeIdb(new IDBFactory());
  const name = `lva-migration-v${entry.version}`;

  const old = new Dexie(name, options);
  old.version(entry.version).stores(entry.stores);
  await old.open();
  await old.transaction('rw', old.tables, async () => {
    await old.table('captures').bulkAdd(fixture.tables.captures);
    await old.table('audio').bulkAdd(audioRows(fixture));
    await old.table('replies').bulkAdd(fixture.tables.replies);
  });
  old.close();

  const db = new LvaDatabase(name, options);
  await db.open();
  return { db, fixture };
}

describe.each(FIXTURES)('upgrading a schema v$version database', (entry) => {
  it('has a realistic fixture: every status, audio for each capture, replies of both kinds', () => {
    const { tables } = loadFixture(entry.file);
    expect(tables.captures.map((c) => c.status).sort()).toEqual([
      'failed',
      'ready',
      'transcribing'
    ]);
    expect(tables.captures.find((c) => c.status === 'failed')?.error).toBeTruthy();
    expect(tables.audio.map((a) => a.captureId).sort()).toEqual(
      tables.captures.map((c) => c.id).sort()
    );
    expect(tables.replies.map((r) => r.source).sort()).toEqual(['claude', 'offline-coach']);
  });

  it('opens with the app database, keeping every table', async () => {
    const { db } = await upgradeFrom(entry);
    try {
      expect(db.verno).toBeGreaterThanOrEqual(entry.version);
      expect(db.tables.map((t) => t.name).sort()).toEqual(['audio', 'captures', 'replies']);
      expect(await db.captures.count()).toBe(3);
      expect(await db.audio.count()).toBe(3);
      expect(await db.replies.count()).toBe(2);
    } finally {
      db.close();
    }
  });

  it('reads every capture back intact, newest first', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      const expected = [...fixture.tables.captures].sort((a, b) => b.createdAt - a.createdAt);
      expect(await listCaptures(db)).toEqual(expected);
    } finally {
      db.close();
    }
  });

  it('reads every reply back intact through its capture', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      for (const capture of fixture.tables.captures) {
        const expected = fixture.tables.replies
          .filter((r) => r.captureId === capture.id)
          .sort((a, b) => a.createdAt - b.createdAt);
        expect(await listReplies(db, capture.id)).toEqual(expected);
      }
    } finally {
      db.close();
    }
  });

  it('reads every audio recording back byte for byte, still a decodable WAV', async () => {
    const { db, fixture } = await upgradeFrom(entry);
    try {
      for (const row of audioRows(fixture)) {
        const stored = await db.audio.where('captureId').equals(row.captureId).toArray();
        expect(stored).toHaveLength(1);
        expect({ ...stored[0], data: null }).toEqual({ ...row, data: null });
        expect(bytes(stored[0]!.data)).toEqual(bytes(row.data));
        const wav = decodeWav(stored[0]!.data);
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
      const withReplies = fixture.tables.replies[0]!.captureId;
      const deleted = await deleteCapture(db, withReplies);
      expect(deleted?.capture).toEqual(fixture.tables.captures.find((c) => c.id === withReplies));
      expect(deleted?.replies).toHaveLength(
        fixture.tables.replies.filter((r) => r.captureId === withReplies).length
      );
      expect(await db.captures.count()).toBe(2);
      await restoreCapture(db, deleted!);
      expect(await listCaptures(db)).toHaveLength(3);
      expect(await listReplies(db, withReplies)).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});
