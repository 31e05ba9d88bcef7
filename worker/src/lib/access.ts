import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { ApiError } from './errors';

/**
 * Requires the configured access token when one is set. Accepts it as `Authorization: Bearer` (the
 * app) or `X-Api-Key` (the Anthropic SDK pointed at this worker), compared in constant time.
 */
export const requireAccess = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.env.ACCESS_TOKEN;
  if (expected) {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const presented = bearer ?? c.req.header('x-api-key') ?? '';
    if (!presented) throw new ApiError(401, 'unauthorized', 'An access token is required.');
    if (!(await sameSecret(presented, expected))) {
      throw new ApiError(401, 'unauthorized', 'The access token is not valid.');
    }
  }
  await next();
});

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Hash both sides first so the comparison length never depends on the secret.
  const enc = new TextEncoder();
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b))
  ]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}
