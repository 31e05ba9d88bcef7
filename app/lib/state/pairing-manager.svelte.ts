import { isApiErrorBody, type PairResponse } from '$contract';
import { apiFetch } from '../api/api-fetch';
import {
  loadDevice,
  onDeviceChange,
  saveDevice,
  type DeviceCredentials
} from '../api/device-token';

/** Renew a token when less than this is left of it. */
const RENEW_WITHIN_MS = 30 * 86_400_000;

/**
 * Pairs this device with its server: the owner's pairing secret is exchanged once for a device
 * token, kept in this browser (never the secret itself). Knows when the pairing lapsed.
 */
class PairingManager {
  #device = $state.raw<DeviceCredentials | null>(loadDevice());
  #busy = $state(false);
  #error = $state<string | null>(null);

  constructor() {
    onDeviceChange((device, reason) => {
      this.#device = device;
      if (reason) this.#error = reason;
    });
  }

  /** This device's pairing, or null when unpaired. */
  get device(): DeviceCredentials | null {
    return this.#device;
  }

  /** Whether a pairing request is under way. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Why the last pairing failed or the pairing lapsed, in words; null when all is well. */
  get error(): string | null {
    return this.#error;
  }

  /** Exchanges the pairing secret for a device token. Returns whether it worked. */
  async pair(secret: string): Promise<boolean> {
    if (!secret.trim() || this.#busy) return false;
    this.#busy = true;
    this.#error = null;
    try {
      const response = await fetch('/api/pair', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret: secret.trim(), deviceName: deviceName() })
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        this.#error = isApiErrorBody(body)
          ? body.error.message
          : `The server answered with status ${response.status}.`;
        return false;
      }
      const paired = body as PairResponse;
      saveDevice({ token: paired.token, deviceId: paired.deviceId, expiresAt: paired.expiresAt });
      return true;
    } catch {
      this.#error = 'The server could not be reached. Check your connection.';
      return false;
    } finally {
      this.#busy = false;
    }
  }

  /** Swaps a token that expires soon for a fresh one (quietly; a failure changes nothing). */
  async renewIfDue(): Promise<void> {
    const device = this.#device;
    if (!device || Date.parse(device.expiresAt) - Date.now() > RENEW_WITHIN_MS) return;
    try {
      const response = await apiFetch('/api/pair/renew', { method: 'POST' });
      if (!response.ok) return;
      const renewed = (await response.json()) as PairResponse;
      saveDevice({
        token: renewed.token,
        deviceId: renewed.deviceId,
        expiresAt: renewed.expiresAt
      });
    } catch {
      // Offline: try again next time.
    }
  }

  /** Forgets this device's token; the server's other devices are unaffected. */
  forget(): void {
    this.#error = null;
    saveDevice(null);
  }
}

function deviceName(): string | undefined {
  return typeof navigator === 'undefined'
    ? undefined
    : navigator.platform.slice(0, 64) || undefined;
}

/** The app's pairing with its server. */
export const pairingManager = new PairingManager();
