/** What the browser says about this site's storage: usage, quota, persistence and eviction risk. */
import { isSafari, isStandalone } from './install';

/** A storage estimate, with Chromium's breakdown where available. */
export interface StorageInfo {
  usage: number | null;
  quota: number | null;
  /** Chromium's per-kind bytes (indexedDB, caches, serviceWorkerRegistrations). */
  details: Record<string, number>;
  persisted: boolean | null;
}

/** Reads the current estimate and whether storage is persistent. */
export async function readStorage(): Promise<StorageInfo> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.estimate) return { usage: null, quota: null, details: {}, persisted: null };
  const estimate = (await storage.estimate()) as StorageEstimate & {
    usageDetails?: Record<string, number>;
  };
  const persisted = storage.persisted ? await storage.persisted() : null;
  return {
    usage: estimate.usage ?? null,
    quota: estimate.quota ?? null,
    details: estimate.usageDetails ?? {},
    persisted
  };
}

/** Asks the browser to keep this site's data when space runs low; true when granted. */
export async function requestPersistence(): Promise<boolean> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persist) return false;
  try {
    return await storage.persist();
  } catch {
    return false;
  }
}

/** Where and why the browser may delete the library, in words; null when it is safe. */
export function evictionWarning(persisted: boolean | null, ua?: string): string | null {
  if (isSafari(ua) && !isStandalone())
    return 'Safari deletes the data of sites you have not opened for 7 days. Add this app to your Home Screen (or Dock) to keep your captures, and export a backup regularly.';
  if (persisted === false)
    return 'Your browser may clear this app’s data when the device runs low on space. Install the app or allow persistent storage, and keep a backup.';
  return null;
}

/** Bytes in words: "1.2 GB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return 'unknown';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
