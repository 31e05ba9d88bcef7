/** Databases on an in-memory IndexedDB (fake-indexeddb), one private factory per test. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { LvaDatabase } from '$lib/db/database';

/** Dexie options that put a database on `factory` instead of a browser's IndexedDB. */
export function fakeIdb(factory: IDBFactory = new IDBFactory()) {
  return { indexedDB: factory, IDBKeyRange };
}

/** A fresh, empty app database on its own in-memory IndexedDB. */
export function openTestDb(name = 'lva-test'): LvaDatabase {
  return new LvaDatabase(name, fakeIdb());
}
