import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Env } from '../env';
import { ApiError } from './errors';

/** Origins allowed to call the API from another origin, from CORS_ORIGINS. */
export function allowedOrigins(env: Env): string[] {
  return (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/** The request's Origin when it is an allowed cross-origin caller, else null. */
export function crossOriginAllowed(c: Context<AppEnv>): string | null {
  const origin = c.req.header('origin');
  if (!origin || origin === new URL(c.req.url).origin) return null;
  return allowedOrigins(c.env).includes(origin) ? origin : null;
}

const allowCors = cors({
  origin: (origin) => origin,
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  exposeHeaders: ['x-request-id', 'request-id', 'retry-after', 'server-timing', 'www-authenticate'],
  maxAge: 600
});

/**
 * CORS with an allowlist: requests without an Origin (the SDK, curl) and from the app's own
 * origin pass; allowed origins get CORS headers and their preflights answered; any other origin
 * is refused outright with 403, preflight or not, so a foreign page cannot even start a request.
 */
export const corsGuard = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  if (!origin || origin === new URL(c.req.url).origin) return next();
  if (!crossOriginAllowed(c)) {
    throw new ApiError(
      403,
      'origin_not_allowed',
      `Calls from ${origin.slice(0, 100)} are not allowed; the owner can add it to CORS_ORIGINS.`
    );
  }
  return allowCors(c, next);
});
