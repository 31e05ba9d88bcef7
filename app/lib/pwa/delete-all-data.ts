/**
 * "Delete all my data": the service worker registration, every IndexedDB database of this origin,
 * every Cache Storage cache, and local/session storage. Nothing is left for the app to find.
 */
import { Dexie } from 'dexie';
import { DATABASE_NAME, getDb } from '../db/database';

/** What was deleted, for the confirmation shown afterwards. */
export interface DeletionReport {
  databases: string[];
  caches: string[];
  serviceWorkers: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deletes everything this app stored in this browser. */
export async function deleteAllData(): Promise<DeletionReport> {
  // The service worker goes first, so it cannot fill a cache again while the rest is deleted.
  let serviceWorkers = 0;
  if (typeof navigator !== 'undefined' && 'serviceWorker' in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations())
      if (await registration.unregister()) serviceWorkers++;
  }
  // Close the app's connection and keep it closed: a live query must not re-create the database.
  getDb().close({ disableAutoOpen: true });
  const names = new Set<string>([DATABASE_NAME]);
  if (typeof indexedDB !== 'undefined' && indexedDB.databases)
    for (const db of await indexedDB.databases()) if (db.name) names.add(db.name);
  for (const name of names) await Dexie.delete(name);

  const deleted = new Set<string>();
  if (typeof caches !== 'undefined') {
    // An install that was under way when the worker was unregistered may still write its cache;
    // delete until nothing has come back for a while.
    for (let quiet = 0, round = 0; quiet < 3 && round < 50; round++) {
      const names = await caches.keys();
      quiet = names.length === 0 ? quiet + 1 : 0;
      for (const name of names) if (await caches.delete(name)) deleted.add(name);
      await pause(150);
    }
  }
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // Blocked storage holds nothing of ours.
  }
  return { databases: [...names], caches: [...deleted], serviceWorkers };
}
