/** Typed access to the `settings` store (settings that live with the data). */
import type { LvaDatabase } from './database';

/** Every key this module knows and its value type. */
export interface SettingValues {
  /** The embedding model whose vectors are complete (meaning search uses it). */
  'embedding.indexedModel': string;
  /** Highest capture `updatedAt` whose passages are up to date. */
  'embedding.passagesSyncedAt': number;
}

/** A setting's value, or `fallback` when unset. */
export async function getSetting<K extends keyof SettingValues>(
  db: LvaDatabase,
  key: K,
  fallback: SettingValues[K]
): Promise<SettingValues[K]> {
  const record = await db.settings.get(key);
  return record === undefined ? fallback : (record.value as SettingValues[K]);
}

/** Stores a setting. */
export async function setSetting<K extends keyof SettingValues>(
  db: LvaDatabase,
  key: K,
  value: SettingValues[K]
): Promise<void> {
  await db.settings.put({ key, value });
}

/**
 * Settings that are this device's own index state, derived from the data and rebuilt from it: the
 * stored keyword index and the embedding watermarks. They never go into an archive and are ignored
 * in one, since another device's watermarks would hide this device's unindexed captures.
 */
export const DEVICE_STATE_SETTINGS: ReadonlySet<string> = new Set([
  'search.snapshot',
  'embedding.indexedModel',
  'embedding.passagesSyncedAt'
]);
