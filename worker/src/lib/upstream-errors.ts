import { ApiError } from './errors';
import type { UpstreamResult } from './upstream/fetch-upstream';

/** The upstream's own error message, from Anthropic's or OpenAI's error envelope. */
function upstreamMessage(body: ArrayBuffer | undefined): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as {
      error?: { message?: unknown };
    };
    const message = parsed.error?.message;
    return typeof message === 'string' ? message.slice(0, 300) : null;
  } catch {
    return null;
  }
}

/**
 * Maps an upstream's final error answer to the worker's error shape. Upstream auth failures become
 * 502: the caller's own credentials were fine, the server's key was not, and 401 would mislead.
 * `retry-after` is passed on, so clients wait as long as the upstream asked.
 */
export function upstreamError(result: UpstreamResult, service: string): ApiError {
  const retryAfter = result.headers.get('retry-after');
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
  const detail = upstreamMessage(result.body);
  switch (result.status) {
    case 429:
      return new ApiError(429, 'rate_limited', `${service} is busy; try again shortly.`, headers);
    case 529:
      return new ApiError(
        529 as 500,
        'upstream_unavailable',
        `${service} is overloaded; try again shortly.`,
        headers,
        'overloaded_error'
      );
    case 400:
    case 422:
      return new ApiError(
        400,
        'invalid_request',
        `${service} refused the request${detail ? `: ${detail}` : '.'}`
      );
    case 413:
      return new ApiError(413, 'payload_too_large', `${service} says the request is too large.`);
    case 401:
    case 403:
      return new ApiError(
        502,
        'upstream_error',
        `${service} refused this server's key; the owner must check it.`,
        {},
        'api_error'
      );
    default:
      return new ApiError(
        502,
        'upstream_error',
        `${service} failed (status ${result.status}).`,
        headers,
        'api_error'
      );
  }
}
