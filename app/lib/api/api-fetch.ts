/**
 * fetch for the app's own `/api/*`: attaches this device's token (from pairing) as
 * `Authorization: Bearer`, and forgets the token when the server says it is no longer valid
 * (expired, or revoked by the owner rotating the signing secret), so the app asks to pair again.
 */
import { isApiErrorBody } from '$contract';
import { loadDevice, saveDevice } from './device-token';

const REVOKED = new Set(['unauthorized', 'token_expired']);

/** fetch with the device token; `fallbackToken` is used only when the device is not paired. */
export async function apiFetch(
  path: string,
  init: RequestInit = {},
  fallbackToken?: string
): Promise<Response> {
  const device = loadDevice();
  const token = device?.token ?? fallbackToken;
  const headers = new Headers(init.headers);
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401 && device) {
    try {
      const body: unknown = await response.clone().json();
      if (isApiErrorBody(body) && REVOKED.has(body.error.code)) {
        saveDevice(null, body.error.message);
      }
    } catch {
      // Not our error shape: leave the pairing alone.
    }
  }
  return response;
}
