/**
 * The one error shape every `/api/*` route returns. It follows the Anthropic error envelope
 * (`{ type: 'error', error: { type, message } }`) so the official SDK maps it, and adds a stable
 * `code` for the app and the `requestId` to quote when reporting a problem.
 */

/** Anthropic error types, used as `error.type`. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** Stable machine-readable error codes. */
export type ApiErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthorized'
  | 'token_expired'
  | 'pairing_not_configured'
  | 'pairing_secret_invalid'
  | 'origin_not_allowed'
  | 'not_found'
  | 'model_not_allowed'
  | 'rate_limited'
  | 'budget_exhausted'
  | 'circuit_open'
  | 'upstream_timeout'
  | 'upstream_not_configured'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'internal_error';

/** The JSON body of every error response. */
export interface ApiErrorBody {
  type: 'error';
  error: { type: ApiErrorType; code: ApiErrorCode; message: string; requestId: string };
}

/** Narrows an unknown JSON value to an {@link ApiErrorBody}. */
export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
