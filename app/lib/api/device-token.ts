/**
 * This device's credentials for its server (from pairing), kept in localStorage: small,
 * synchronous, per origin. Listeners hear every change, including the API clearing a token the
 * server no longer accepts.
 */

/** What pairing gave this device. */
export interface DeviceCredentials {
  token: string;
  deviceId: string;
  /** ISO 8601. */
  expiresAt: string;
}

const KEY = 'lva.device.v1';
type Listener = (device: DeviceCredentials | null, reason: string | null) => void;
const listeners = new Set<Listener>();

/** The stored credentials, or null (none, unreadable, or expired). */
export function loadDevice(): DeviceCredentials | null {
  if (typeof localStorage === 'undefined') return null;
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as DeviceCredentials | null;
    if (!stored || typeof stored.token !== 'string') return null;
    return Date.parse(stored.expiresAt) > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

/** Stores (or, with null, forgets) the credentials; `reason` says why when they were dropped. */
export function saveDevice(device: DeviceCredentials | null, reason: string | null = null): void {
  try {
    if (device) localStorage.setItem(KEY, JSON.stringify(device));
    else localStorage.removeItem(KEY);
  } catch {
    // Storage blocked: the pairing still holds for this session through the listeners.
  }
  for (const listener of listeners) listener(device, reason);
}

/** Calls `listener` on every change; returns the unsubscribe function. */
export function onDeviceChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
