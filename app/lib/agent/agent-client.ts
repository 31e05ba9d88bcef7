/**
 * Calls the worker's `/api/chat` and yields the reply text as it streams. The browser never holds
 * an Anthropic key: the worker injects it. Errors come back as {@link AgentError} with the
 * worker's stable code, or a network code when the worker was not reached at all.
 */
import { isApiErrorBody, type ChatRequest } from '$contract';
import { apiFetch } from '../api/api-fetch';
import { parseSse } from './sse';

/** Why a reply could not be had. */
export type AgentErrorCode = string;

/** A failed agent call; `message` is fit to show. */
export class AgentError extends Error {
  override name = 'AgentError';
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    readonly requestId: string | null = null
  ) {
    super(message);
  }

  /** True when the failure means "no Claude right now" and the offline coach should answer. */
  get useFallback(): boolean {
    return [
      'network',
      'upstream_not_configured',
      'upstream_unavailable',
      'upstream_error',
      'rate_limited',
      'stream_error',
      // Over budget, a server that cannot pair, or one resting a failing upstream: the coach
      // answers and the notice says why. (Unpaired stays an error: its message says to pair.)
      'pairing_not_configured',
      'budget_exhausted',
      'circuit_open',
      'upstream_timeout'
    ].includes(this.code);
  }
}

/** Options of one streamed call. */
export interface StreamOptions {
  accessToken?: string;
  signal?: AbortSignal;
  onText(delta: string): void;
  /** Called when the worker's response headers arrive (before any text). */
  onResponse?: () => void;
}

/** Sends a Messages API request through the worker, calling `onText` per text delta. */
export async function streamChat(
  request: ChatRequest,
  options: StreamOptions
): Promise<{ text: string; model: string | null }> {
  let response: Response;
  try {
    // The paired device's token goes along (apiFetch); `accessToken` only stands in without one.
    response = await apiFetch(
      '/api/chat',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...request, stream: true }),
        signal: options.signal
      },
      options.accessToken
    );
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new AgentError('network', 'The server could not be reached. Check your connection.');
  }
  if (!response.ok || !response.body) throw await errorFrom(response);
  options.onResponse?.();

  let text = '';
  let model: string | null = null;
  try {
    for await (const event of parseSse(response.body)) {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      switch (data.type) {
        case 'message_start':
          model = ((data.message as { model?: string } | undefined)?.model ?? null) || null;
          break;
        case 'content_block_delta': {
          const delta = data.delta as { type?: string; text?: string };
          if (delta.type === 'text_delta' && delta.text) {
            text += delta.text;
            options.onText(delta.text);
          }
          break;
        }
        case 'error': {
          // The worker's own error events carry their request id; the upstream's, relayed as
          // they came, do not: the response's header has it.
          const error = data.error as { type?: string; message?: string; requestId?: string };
          throw new AgentError(
            'stream_error',
            `The reply was cut off: ${error.message ?? error.type ?? 'unknown error'}`,
            error.requestId ?? response.headers.get('x-request-id')
          );
        }
        case 'message_stop':
          return { text, model };
      }
    }
  } catch (err) {
    // A dropped connection or a garbled event is a cut-off reply too, unless the caller aborted.
    if (err instanceof AgentError || options.signal?.aborted) throw err;
    throw new AgentError('stream_error', 'The reply was cut off before it finished.');
  }
  throw new AgentError('stream_error', 'The reply was cut off before it finished.');
}

async function errorFrom(response: Response): Promise<AgentError> {
  const requestId = response.headers.get('x-request-id');
  try {
    const body: unknown = await response.json();
    if (isApiErrorBody(body))
      return new AgentError(body.error.code, body.error.message, body.error.requestId ?? requestId);
  } catch {
    // Not our JSON error shape: fall through to a generic message.
  }
  return new AgentError(
    'upstream_error',
    `The server answered with status ${response.status}.`,
    requestId
  );
}
