/** The verified-token cache, in Node: a token checked once is not re-verified, yet a cached token
 * still expires on time, and rotating the signing secret revokes it at once. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkToken, issueToken, signingKey } from '../../worker/src/lib/tokens';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('verified-token cache', () => {
  it('answers a cached token from the cache and still honours its expiry', async () => {
    const key = (await signingKey({ PAIRING_SECRET: 'cache-secret-expiry-0001' }))!;
    const { token, exp } = await issueToken(key, 'device-cached', 60);
    expect(await checkToken(key, token)).toEqual({
      ok: true,
      claims: { deviceId: 'device-cached', exp }
    });
    // Cached: the same answer without verifying again (subtle's verify is not called).
    const verify = vi.spyOn(crypto.subtle, 'verify');
    expect((await checkToken(key, token)).ok).toBe(true);
    expect(verify).not.toHaveBeenCalled();
    // Past its expiry the cached token is refused as expired, not served from the cache.
    vi.spyOn(Date, 'now').mockReturnValue((exp + 1) * 1000);
    expect(await checkToken(key, token)).toEqual({ ok: false, expired: true });
  });

  it('refuses a cached token once the signing secret is rotated', async () => {
    const key = (await signingKey({ PAIRING_SECRET: 'cache-secret-rotation-01' }))!;
    const { token } = await issueToken(key, 'device-rotated', 3600);
    expect((await checkToken(key, token)).ok).toBe(true);
    const next = (await signingKey({ PAIRING_SECRET: 'cache-secret-rotation-02' }))!;
    expect(next).not.toBe(key);
    expect(await checkToken(next, token)).toEqual({ ok: false, expired: false });
    // Going back to the old secret verifies afresh (nothing of the other key's cache survives).
    const verify = vi.spyOn(crypto.subtle, 'verify');
    expect((await checkToken(key, token)).ok).toBe(true);
    expect(verify).toHaveBeenCalled();
  });

  it('never caches a refusal, nor lets a forged token ride on a cached one', async () => {
    const key = (await signingKey({ PAIRING_SECRET: 'cache-secret-forgery-001' }))!;
    const { token } = await issueToken(key, 'device-real', 3600);
    expect((await checkToken(key, token)).ok).toBe(true);
    const [head, , signature] = token.split('.');
    const claims = btoa(JSON.stringify({ sub: 'device-other', aud: 'lva-device', exp: 9e9 }))
      .replaceAll('=', '')
      .replaceAll('+', '-')
      .replaceAll('/', '_');
    const forged = `${head}.${claims}.${signature}`;
    expect(await checkToken(key, forged)).toEqual({ ok: false, expired: false });
    expect(await checkToken(key, forged)).toEqual({ ok: false, expired: false });
  });
});
