import { Dexie } from 'dexie';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { setTags } from '$lib/db/capture-meta-repo';
import { createCapture } from '$lib/db/captures-repo';
import { LvaDatabase } from '$lib/db/database';
import {
  DatabaseOutdatedError,
  StorageFullError,
  dbHealth,
  guardWrite,
  isQuotaError,
  onDbHealth,
  resetDbHealthForTests,
  watchLifecycle
} from '$lib/db/db-lifecycle';
import { fakeIdb } from './helpers/app-db';

afterEach(() => resetDbHealthForTests());

const wav = {
  wav: new ArrayBuffer(8),
  sampleRate: 16000,
  durationMs: 1,
  language: 'en',
  source: 'mic' as const
};

describe('database lifecycle', () => {
  it('stops writing and asks to reload when another tab opens a newer schema', async () => {
    const factory = new IDBFactory();
    const db = watchLifecycle(new LvaDatabase('lifecycle', fakeIdb(factory)));
    const capture = await createCapture(db, wav);
    const seen: string[] = [];
    onDbHealth((h) => seen.push(h.state));

    // "Another tab" with a newer app: the same database at a higher version.
    const newer = new Dexie('lifecycle', fakeIdb(factory));
    newer.version(3).stores({ captures: 'id, createdAt, updatedAt, *tags, source, extra' });
    await newer.open();

    expect(dbHealth()).toMatchObject({ state: 'outdated', code: 'database_outdated' });
    expect(seen).toEqual(['outdated']);
    await expect(setTags(db, capture.id, ['x'])).rejects.toBeInstanceOf(DatabaseOutdatedError);
    await expect(setTags(db, capture.id, ['x'])).rejects.toThrow(/Reload it to continue/);
    // The newer tab's data is untouched by this one.
    const stored = (await newer.table('captures').get(capture.id)) as { tags: string[] };
    expect(stored.tags).toEqual([]);
    newer.close();
  });

  it('reports a database newer than this code as outdated when opening', async () => {
    const factory = new IDBFactory();
    const newer = new Dexie('ahead', fakeIdb(factory));
    newer.version(5).stores({ captures: 'id' });
    await newer.open();
    newer.close();
    const db = watchLifecycle(new LvaDatabase('ahead', fakeIdb(factory)));
    await expect.poll(() => dbHealth().state).toBe('outdated');
    await expect(db.captures.count()).rejects.toThrow();
  });

  it('turns a quota failure into a clear message and recovers after a later success', async () => {
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const wrapped = new Dexie.AbortError('Transaction aborted', quota);
    expect(isQuotaError(wrapped)).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
    const failure = guardWrite(() => Promise.reject(wrapped));
    await expect(failure).rejects.toBeInstanceOf(StorageFullError);
    await expect(guardWrite(() => Promise.reject(wrapped))).rejects.toThrow(/out of storage space/);
    expect(dbHealth()).toMatchObject({ state: 'full', code: 'storage_full' });
    await guardWrite(() => Promise.resolve(1));
    expect(dbHealth().state).toBe('ok');
  });

  it('leaves nothing half-written when a transaction fails midway', async () => {
    const db = new LvaDatabase('atomic', fakeIdb());
    const capture = await createCapture(db, wav);
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    await expect(
      guardWrite(() =>
        db.transaction('rw', db.captures, db.passages, async () => {
          await db.captures.update(capture.id, { tags: ['half'] });
          throw quota;
        })
      )
    ).rejects.toBeInstanceOf(StorageFullError);
    expect((await db.captures.get(capture.id))?.tags).toEqual([]);
  });

  it('passes other errors through unchanged', async () => {
    const other = new TypeError('bug');
    await expect(guardWrite(() => Promise.reject(other))).rejects.toBe(other);
  });
});
