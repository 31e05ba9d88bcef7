import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { ApiError } from './errors';

/**
 * Maps an Anthropic SDK failure to the worker's error shape. Upstream auth failures become 502:
 * the caller's own credentials were fine, the server's key was not, and saying 401 would mislead.
 */
export function upstreamError(err: unknown): ApiError {
  if (err instanceof APIConnectionTimeoutError) {
    return new ApiError(
      504,
      'upstream_unavailable',
      'The AI service did not answer in time.',
      {},
      'api_error'
    );
  }
  if (err instanceof APIConnectionError) {
    return new ApiError(
      502,
      'upstream_unavailable',
      'The AI service could not be reached.',
      {},
      'api_error'
    );
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const retryAfter = (err.headers as Headers | undefined)?.get('retry-after');
    const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
    if (err.status === 429) {
      return new ApiError(
        429,
        'rate_limited',
        'The AI service is busy; try again shortly.',
        headers
      );
    }
    if (err.status === 529) {
      return new ApiError(
        529 as 500,
        'upstream_unavailable',
        'The AI service is overloaded; try again shortly.',
        headers,
        'overloaded_error'
      );
    }
    if (err.status === 400) {
      return new ApiError(
        400,
        'invalid_request',
        `The AI service refused the request: ${err.message}`
      );
    }
    return new ApiError(
      502,
      'upstream_error',
      `The AI service failed (status ${err.status}).`,
      {},
      'api_error'
    );
  }
  return new ApiError(
    502,
    'upstream_error',
    'The AI service failed unexpectedly.',
    {},
    'api_error'
  );
}
