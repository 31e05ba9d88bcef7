import { sign, verify } from 'hono/jwt';
import { JwtTokenExpired } from 'hono/utils/jwt/types';
import type { EnvVars as Env } from '../env-vars';
import { intSetting, textSetting } from './config';

/** What a device token says about its holder. */
export interface DeviceClaims {
  deviceId: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

const AUDIENCE = 'lva-device';
const enc = new TextEncoder();
let cachedKey: { source: string; key: string } | null = null;

/**
 * The HMAC key that signs device tokens: TOKEN_SIGNING_SECRET when set, else one derived from
 * PAIRING_SECRET with HKDF (so a single secret is enough, and rotating it revokes every token).
 * Null when neither is configured: then no token is valid.
 */
export async function signingKey(env: Env): Promise<string | null> {
  const explicit = textSetting(env.TOKEN_SIGNING_SECRET);
  const pairing = textSetting(env.PAIRING_SECRET);
  const source = explicit ? `s:${explicit}` : pairing ? `p:${pairing}` : null;
  if (!source) return null;
  if (cachedKey?.source === source) return cachedKey.key;
  const base = await crypto.subtle.importKey('raw', enc.encode(source), 'HKDF', false, [
    'deriveBits'
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('lva-device-token'), info: enc.encode('v1') },
    base,
    256
  );
  const key = btoa(String.fromCharCode(...new Uint8Array(bits)));
  cachedKey = { source, key };
  return key;
}

/** Lifetime of new device tokens, in seconds. */
export function tokenLifetimeSeconds(env: Env): number {
  return intSetting(env.DEVICE_TOKEN_TTL_DAYS, 90, 1) * 86_400;
}

/** Signs a token for a device. */
export async function issueToken(
  key: string,
  deviceId: string,
  lifetimeSeconds: number
): Promise<{ token: string; exp: number }> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + lifetimeSeconds;
  const token = await sign({ sub: deviceId, aud: AUDIENCE, iat: now, exp }, key, 'HS256');
  return { token, exp };
}

/** The outcome of checking a presented token. */
export type TokenCheck = { ok: true; claims: DeviceClaims } | { ok: false; expired: boolean };

// Verified tokens, so a device's every request does not redo the HMAC. Bounded; tied to the key,
// so rotating the signing secret empties it.
const verified = new Map<string, DeviceClaims>();
let verifiedKey = '';

/** Verifies a token's signature, audience and expiry. */
export async function checkToken(key: string, token: string): Promise<TokenCheck> {
  if (verifiedKey !== key) {
    verified.clear();
    verifiedKey = key;
  }
  const known = verified.get(token);
  if (known) {
    if (known.exp > Date.now() / 1000) return { ok: true, claims: known };
    verified.delete(token);
    return { ok: false, expired: true };
  }
  const result = await verifyToken(key, token);
  if (result.ok) {
    if (verified.size >= 1000) verified.clear();
    verified.set(token, result.claims);
  }
  return result;
}

async function verifyToken(key: string, token: string): Promise<TokenCheck> {
  try {
    const payload = await verify(token, key, { alg: 'HS256', aud: AUDIENCE });
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
      return { ok: false, expired: false };
    }
    return { ok: true, claims: { deviceId: payload.sub, exp: payload.exp } };
  } catch (err) {
    return { ok: false, expired: err instanceof JwtTokenExpired };
  }
}

/** The token a request presents: `Authorization: Bearer …` (the app, current SDKs) or `X-Api-Key`. */
export function presentedToken(authorization: string | undefined, apiKey: string | undefined) {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return bearer ?? (apiKey?.trim() || null);
}
