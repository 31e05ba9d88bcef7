import type { ApiErrorBody, ApiErrorCode, ApiErrorType } from '$contract';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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

/** An error with a stable code, thrown by handlers and rendered by `onError` (on-error.ts). */
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
