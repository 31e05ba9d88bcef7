/**
 * Keeps the database safe across tabs and when storage runs out.
 *
 * - Another tab opening a newer schema (or deleting the database) fires `versionchange` here: this
 *   tab closes its connection for good (no silent reopen at the old version), stops writing, and
 *   asks the person to reload. Writes attempted after that fail with {@link DatabaseOutdatedError}.
 * - A database already newer than this code (an old tab or a stale cached app): same state, same
 *   message, connection closed at once.
 * - A write that exceeds the storage quota aborts its transaction, so nothing is half-written; it
 *   surfaces as {@link StorageFullError} with words a person understands.
 */
import { Dexie } from 'dexie';

/** Stable codes of database problems shown to the person. */
export type DbProblemCode = 'database_outdated' | 'storage_full';

/** The database's health as this tab sees it. */
export type DbHealth =
  | { state: 'ok' }
  | { state: 'outdated'; code: 'database_outdated'; message: string }
  | { state: 'full'; code: 'storage_full'; message: string };

const OUTDATED_MESSAGE =
  'A newer version of Learning Voice Agent is open in another tab. This tab has stopped saving so ' +
  'it cannot damage your data. Reload it to continue.';
const FULL_MESSAGE =
  'Your device is out of storage space for this app, so the last change was not saved (nothing ' +
  'was half-written). Free some space, or delete captures or recordings you no longer need, then try again.';

/** This tab runs older code than the database. */
export class DatabaseOutdatedError extends Error {
  override name = 'DatabaseOutdatedError';
  readonly code = 'database_outdated' as const;
  constructor() {
    super(OUTDATED_MESSAGE);
  }
}

/** The browser refused a write for lack of storage. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  readonly code = 'storage_full' as const;
  constructor(readonly cause?: unknown) {
    super(FULL_MESSAGE);
  }
}

let health: DbHealth = { state: 'ok' };
const listeners = new Set<(health: DbHealth) => void>();

function setHealth(next: DbHealth): void {
  // Outdated wins: once this tab must reload, a later quota message would only mislead.
  if (health.state === 'outdated') return;
  health = next;
  for (const listener of listeners) listener(health);
}

/** The current health. */
export function dbHealth(): DbHealth {
  return health;
}

/** Calls `listener` on every change of health; returns an unsubscribe function. */
export function onDbHealth(listener: (health: DbHealth) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Marks storage as usable again (after the person freed space and a write succeeded). */
export function clearStorageFull(): void {
  if (health.state === 'full') setHealth({ state: 'ok' });
}

/** Whether an error (or what it wraps) is the browser's quota error. */
export function isQuotaError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const name = (e as { name?: string }).name;
    if (name === 'QuotaExceededError' || name === Dexie.errnames.QuotaExceeded) return true;
    e = (e as { inner?: unknown; cause?: unknown }).inner ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Whether an error means this tab's code is older than the database. */
export function isOutdatedError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const name = (e as { name?: string }).name;
    if (name === 'VersionError' || name === Dexie.errnames.Version) return true;
    if (name === 'DatabaseOutdatedError') return true;
    e = (e as { inner?: unknown }).inner;
  }
  return false;
}

/** Turns a failed database operation into the error a person should see, updating health. */
export function explainDbError(error: unknown): unknown {
  if (health.state === 'outdated' || isOutdatedError(error)) {
    setHealth({ state: 'outdated', code: 'database_outdated', message: OUTDATED_MESSAGE });
    return new DatabaseOutdatedError();
  }
  if (isQuotaError(error)) {
    setHealth({ state: 'full', code: 'storage_full', message: FULL_MESSAGE });
    return new StorageFullError(error);
  }
  return error;
}

/**
 * Runs a write (one transaction, so all or nothing). Refuses at once when the database is outdated
 * here, and translates quota and version failures into {@link StorageFullError} and
 * {@link DatabaseOutdatedError}.
 */
export async function guardWrite<T>(write: () => Promise<T>): Promise<T> {
  if (health.state === 'outdated') throw new DatabaseOutdatedError();
  try {
    const result = await write();
    clearStorageFull();
    return result;
  } catch (error) {
    throw explainDbError(error);
  }
}

/** Wires a database to the lifecycle rules above. Returns it for chaining. */
export function watchLifecycle<T extends Dexie>(db: T): T {
  db.on('versionchange', () => {
    // Dexie's default handler closes but would reopen on the next call, at the old version.
    db.close({ disableAutoOpen: true });
    setHealth({ state: 'outdated', code: 'database_outdated', message: OUTDATED_MESSAGE });
    return false;
  });
  // Dexie 4 opens a database that another tab already upgraded, at that newer version; this
  // code does not know its schema, so it must not write to it either.
  db.on('ready', () => {
    if (db.backendDB().version > Math.round(db.verno * 10)) {
      db.close({ disableAutoOpen: true });
      setHealth({ state: 'outdated', code: 'database_outdated', message: OUTDATED_MESSAGE });
    }
  });
  db.open().catch((error: unknown) => {
    explainDbError(error);
  });
  return db;
}

/** For tests: back to a healthy state. */
export function resetDbHealthForTests(): void {
  health = { state: 'ok' };
}
