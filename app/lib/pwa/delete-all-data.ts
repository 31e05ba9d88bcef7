/**
 * "Delete all my data": every IndexedDB database of this origin, every Cache Storage cache, the
 * service worker registration, and local/session storage. Nothing is left for the app to find.
 */
import { Dexie } from 'dexie';
import { DATABASE_NAME, getDb } from '../db/database';

/** What was deleted, for the confirmation shown afterwards. */
export interface DeletionReport {
  databases: string[];
  caches: string[];
  serviceWorkers: number;
}

/** Deletes everything this app stored in this browser. */
export async function deleteAllData(): Promise<DeletionReport> {
  // Close the app's connection and keep it closed: a live query must not re-create the database.
  getDb().close({ disableAutoOpen: true });
  const names = new Set<string>([DATABASE_NAME]);
  if (typeof indexedDB !== 'undefined' && indexedDB.databases)
    for (const db of await indexedDB.databases()) if (db.name) names.add(db.name);
  for (const name of names) await Dexie.delete(name);

  const cacheNames = typeof caches === 'undefined' ? [] : await caches.keys();
  for (const name of cacheNames) await caches.delete(name);

  let serviceWorkers = 0;
  if (typeof navigator !== 'undefined' && 'serviceWorker' in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      if (await registration.unregister()) serviceWorkers++;
    }
  }
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // Blocked storage holds nothing of ours.
  }
  return { databases: [...names], caches: cacheNames, serviceWorkers };
}
