/**
 * The one error renderer (`app.onError`). Apart from errors.ts so that module stays free of the
 * worker's runtime bindings (Node tests of the SSE relay import it).
 */
import type { ApiErrorCode } from '$contract';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env';
import { ApiError, errorBody, errorTypeFor } from './errors';
import { logEvent } from './log';

/** `app.onError`: turns anything thrown into the one error shape; never leaks internals. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  const log = c.get('log');
  if (err instanceof ApiError) {
    if (log) log.code = err.code;
    return c.json(
      errorBody(err.errorType, err.code, err.message, requestId),
      err.status,
      err.headers
    );
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ApiErrorCode = status === 413 ? 'payload_too_large' : 'invalid_request';
    if (log) log.code = code;
    const message = status === 413 ? 'The request body is too large.' : err.message;
    return c.json(errorBody(errorTypeFor(status), code, message, requestId), status);
  }
  if (log) log.code = 'internal_error';
  logEvent('error', { requestId, message: 'unhandled error', error: String(err) });
  return c.json(
    errorBody('api_error', 'internal_error', 'Something went wrong on the server.', requestId),
    500
  );
}
