import type { ApiErrorBody, ApiErrorCode, ApiErrorType } from '$contract';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env';
import { logEvent } from './log';

const TYPE_BY_STATUS: Record<number, ApiErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  529: 'overloaded_error'
};

/** The Anthropic error type for an HTTP status. */
export function errorTypeFor(status: number): ApiErrorType {
  return TYPE_BY_STATUS[status] ?? 'api_error';
}

/** An error with a stable code, thrown by handlers and rendered by {@link onError}. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly errorType: ApiErrorType = errorTypeFor(status)
  ) {
    super(status, { message });
  }
}

/** Builds the JSON error body every route returns. */
export function errorBody(
  type: ApiErrorType,
  code: ApiErrorCode,
  message: string,
  requestId: string
): ApiErrorBody {
  return { type: 'error', error: { type, code, message, requestId } };
}

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
