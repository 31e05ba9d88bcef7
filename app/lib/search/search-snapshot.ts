/**
 * A stored copy of the keyword index, so the library is searchable right after start instead of
 * after re-analysing every capture (seconds at 10k captures). It is only a cache: its watermark
 * says up to which `updatedAt` it is complete, the search manager applies newer changes and
 * deletions on top, and any mismatch (version, parameters, size) means a normal rebuild.
 */
import type { LvaDatabase } from '../db/database';
import type { EngineState } from './search-engine';

const KEY = 'search.snapshot';
/** Bump when the analyzer or the stored layout changes (old snapshots are then ignored). */
export const SNAPSHOT_VERSION = 1;

/** What is stored. */
export interface StoredSnapshot {
  version: number;
  /** Highest capture `updatedAt` the snapshot includes. */
  watermark: number;
  savedAt: number;
  state: EngineState;
}

/** The stored snapshot when it has this version, else null. */
export async function loadSnapshot(db: LvaDatabase): Promise<StoredSnapshot | null> {
  try {
    const record = await db.settings.get(KEY);
    const value = record?.value as StoredSnapshot | undefined;
    return value?.version === SNAPSHOT_VERSION ? value : null;
  } catch {
    return null;
  }
}

/**
 * Stores a snapshot. Failures (a full disk included) are ignored: the snapshot is a cache, and a
 * missing one only costs a slower start.
 */
export async function saveSnapshot(
  db: LvaDatabase,
  watermark: number,
  state: EngineState
): Promise<boolean> {
  const value: StoredSnapshot = {
    version: SNAPSHOT_VERSION,
    watermark,
    savedAt: Date.now(),
    state
  };
  try {
    await db.settings.put({ key: KEY, value });
    return true;
  } catch {
    return false;
  }
}
