import type { ApiErrorCode, ApiErrorType } from '$contract';
import { errorBody } from '../errors';
import { ClientAborted, TimeoutReason } from './retry';
import type { UpstreamResult } from './fetch-upstream';

/** How a relayed stream went. */
export interface StreamSummary {
  outcome: 'complete' | 'error_event' | 'client_aborted';
  inputTokens: number;
  outputTokens: number;
  /** The streamed text, only collected when asked (debug logging). */
  text: string;
  streamMs: number;
}

/** Options of {@link relaySse}. */
export interface RelayOptions {
  requestId: string;
  idleTimeoutMs: number;
  collectText: boolean;
}

interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

const enc = new TextEncoder();
/** An `error` event line anywhere in a run of events. */
const ERROR_EVENT = /^event:\s?error\s*$/m;

/** How a text delta, most of a reply's events, begins. */
const DELTA_PREFIX = enc.encode('event: content_block_delta\n');

/**
 * Whether a chunk is exactly one whole `content_block_delta` event, in LF line endings: such a
 * chunk is relayed as the very bytes it came in, with no decoding and re-encoding (a delta needs
 * no rewriting and tells nothing about usage, and most chunks of a stream are one delta each).
 */
function isWholeDelta(chunk: Uint8Array): boolean {
  const n = chunk.length;
  if (n < DELTA_PREFIX.length + 2 || chunk[n - 1] !== 10 || chunk[n - 2] !== 10) return false;
  for (let i = 0; i < DELTA_PREFIX.length; i++) if (chunk[i] !== DELTA_PREFIX[i]) return false;
  for (let i = DELTA_PREFIX.length; i < n - 2; i++) {
    if (chunk[i] === 13 || (chunk[i] === 10 && chunk[i + 1] === 10)) return false;
  }
  return true;
}

/** One SSE event in the Messages API format. */
function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE `error` event in the Messages API's error format, plus our code and request id. */
export function errorEvent(
  type: ApiErrorType,
  code: ApiErrorCode,
  message: string,
  requestId: string
): string {
  return sseEvent('error', errorBody(type, code, message, requestId));
}

/**
 * Relays a Messages API event stream to the client event by event, reading token usage on the
 * way. It never ends silently short: an upstream `error` event is passed on (in our error shape),
 * and a dropped connection, a stall longer than `idleTimeoutMs` or an end without
 * `message_stop` becomes an `error` event. Cancelling the returned stream (the client left)
 * cancels the upstream request. `done` resolves a task after the stream has ended.
 */
export function relaySse(
  upstream: UpstreamResult,
  options: RelayOptions
): { body: ReadableStream<Uint8Array>; done: Promise<StreamSummary> } {
  const reader = upstream.reader!;
  const started = Date.now();
  const decoder = new TextDecoder();
  const summary: StreamSummary = {
    outcome: 'complete',
    inputTokens: 0,
    outputTokens: 0,
    text: '',
    streamMs: 0
  };
  let buffered = '';
  /** Nothing of an event is held back (and the decoder holds no partial character). */
  let atBoundary = true;
  let first: Uint8Array | undefined = upstream.first;
  let finished = false;
  let sawStop = false;
  let resolveDone: (s: StreamSummary) => void = () => undefined;
  const done = new Promise<StreamSummary>((resolve) => (resolveDone = resolve));
  // One idle watchdog per stream, re-armed only when it fires, rather than a timer set and
  // cleared around every read: timers go through workerd's Node-style timer objects, and one per
  // chunk cost ~0.2 ms of workerd CPU per chat (measured). It counts only time spent waiting on
  // the upstream, not time the client takes to pull.
  let readingSince: number | null = null;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watch = (delay: number) => {
    watchdog = setTimeout(() => {
      if (finished) return;
      const waited = readingSince === null ? 0 : Date.now() - readingSince;
      if (waited >= options.idleTimeoutMs) upstream.abort(new TimeoutReason('idle'));
      else watch(options.idleTimeoutMs - waited);
    }, delay);
  };
  const finish = (outcome: StreamSummary['outcome']) => {
    if (finished) return;
    finished = true;
    clearTimeout(watchdog);
    summary.outcome = outcome;
    summary.streamMs = Date.now() - started;
    // Resolved a task later, not at once: what waits on it (recording the spend, a Durable Object
    // round trip, and the log line) runs on the same thread as the stream, and resolved here it
    // ran before the stream's last bytes went out (~1 ms on every chat, measured).
    setTimeout(() => resolveDone(summary), 0);
  };

  const countUsage = (usage: Usage | undefined) => {
    if (!usage) return;
    const input =
      (usage.input_tokens ?? 0) +
      (usage.cache_creation_input_tokens ?? 0) +
      (usage.cache_read_input_tokens ?? 0);
    if (input) summary.inputTokens = input;
    if (usage.output_tokens !== undefined) summary.outputTokens = usage.output_tokens;
  };

  /** Takes the complete events out of the buffer, rewritten where needed. */
  const drain = (flush: boolean): string => {
    let out = '';
    if (buffered.includes('\r')) {
      // A CR ending the chunk may be the first half of a CRLF: it waits for the next chunk.
      const held = !flush && buffered.endsWith('\r');
      buffered =
        buffered.slice(0, held ? -1 : undefined).replace(/\r\n?/g, '\n') + (held ? '\r' : '');
    }
    let end: number;
    while ((end = buffered.indexOf('\n\n')) !== -1 || (flush && buffered.trim())) {
      const block = end === -1 ? buffered : buffered.slice(0, end);
      buffered = end === -1 ? '' : buffered.slice(end + 2);
      out += handleBlock(block);
    }
    return out;
  };

  const handleBlock = (block: string): string => {
    const event = /^event:\s?(.*)$/m.exec(block)?.[1]?.trim();
    if (event === 'content_block_delta' && !options.collectText) return `${block}\n\n`;
    const data = [...block.matchAll(/^data:\s?(.*)$/gm)].map((m) => m[1]).join('\n');
    let parsed: Record<string, unknown> = {};
    try {
      parsed = data ? (JSON.parse(data) as Record<string, unknown>) : {};
    } catch {
      // Not JSON: relayed untouched, the client's parser decides.
    }
    if (event === 'message_start') countUsage((parsed.message as { usage?: Usage })?.usage);
    else if (event === 'message_delta') countUsage(parsed.usage as Usage);
    else if (event === 'message_stop') sawStop = true;
    else if (event === 'content_block_delta') {
      const delta = parsed.delta as { text?: string } | undefined;
      summary.text += delta?.text ?? '';
    } else if (event === 'error') {
      const error = (parsed.error ?? {}) as { type?: string; message?: string };
      const overloaded = error.type === 'overloaded_error';
      return errorEvent(
        (error.type as ApiErrorType) ?? 'api_error',
        overloaded ? 'upstream_unavailable' : 'upstream_error',
        `The AI service failed mid-reply: ${error.message ?? error.type ?? 'unknown error'}.`,
        options.requestId
      );
    }
    return `${block}\n\n`;
  };

  const failMidStream = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    message: string
  ) => {
    controller.enqueue(
      enc.encode(errorEvent('api_error', 'upstream_unavailable', message, options.requestId))
    );
    controller.close();
    finish('error_event');
  };

  /** Reads one upstream chunk and relays its complete events; true once something was sent. */
  const step = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    let chunk: Uint8Array | undefined = first;
    first = undefined;
    if (!chunk) {
      if (watchdog === undefined) watch(options.idleTimeoutMs);
      readingSince = Date.now();
      try {
        const next = await reader.read();
        if (next.done) {
          const rest = drain(true);
          if (rest) controller.enqueue(enc.encode(rest));
          if (sawStop) {
            controller.close();
            finish('complete');
          } else if (summary.outcome === 'error_event' || ERROR_EVENT.test(rest)) {
            controller.close();
            finish('error_event');
          } else {
            failMidStream(controller, 'The AI service ended the reply before it was complete.');
          }
          return true;
        }
        chunk = next.value;
      } catch (err) {
        if (finished) return true;
        const reason: unknown = upstream.signal.aborted ? upstream.signal.reason : err;
        if (reason instanceof ClientAborted) {
          finish('client_aborted');
          return true;
        }
        failMidStream(
          controller,
          reason instanceof TimeoutReason
            ? 'The AI service stopped sending mid-reply.'
            : 'The connection to the AI service dropped mid-reply.'
        );
        return true;
      } finally {
        readingSince = null;
      }
    }
    if (atBoundary && !options.collectText && isWholeDelta(chunk)) {
      controller.enqueue(chunk);
      return true;
    }
    buffered += decoder.decode(chunk, { stream: true });
    const out = drain(false);
    // A chunk ending in LF leaves no partial character in the decoder.
    atBoundary = buffered === '' && chunk[chunk.length - 1] === 10;
    if (!out) return false;
    if (ERROR_EVENT.test(out)) summary.outcome = 'error_event';
    controller.enqueue(enc.encode(out));
    return true;
  };

  return {
    done,
    body: new ReadableStream<Uint8Array>({
      async pull(controller) {
        // A chunk may hold no complete event (an event split across reads): read on until
        // something is enqueued or the stream ends, since no further pull would come otherwise.
        while (!(await step(controller)));
      },
      async cancel() {
        finish('client_aborted');
        upstream.abort(new ClientAborted());
        await reader.cancel().catch(() => undefined);
      }
    })
  };
}
