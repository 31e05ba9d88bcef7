import type { UpstreamPolicy } from '../config';
import { ApiError } from '../errors';
import { breakerFor, type UpstreamName } from './circuit';
import { ClientAborted, abortableSleep, retryDelayMs, shouldRetry, TimeoutReason } from './retry';

/** One upstream call, retried until its first byte; see {@link fetchUpstream}. */
export interface UpstreamCall {
  name: UpstreamName;
  policy: UpstreamPolicy;
  /** Builds the request of one attempt (a retry sends the same body again). */
  request: () => Request | Promise<Request>;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** Streamed reply: commit at its first body byte. Otherwise the whole body is read. */
  stream: boolean;
}

/** What came back, once a verdict was reached. */
export interface UpstreamResult {
  status: number;
  headers: Headers;
  attempts: number;
  /** Time from the first attempt to the first byte (streams) or whole body, in ms. */
  upstreamMs: number;
  /** Streams: the body, split in two; see {@link splitStream}. */
  stream?: SplitStream;
  /** Aborts the upstream request (used for idle timeouts mid-stream). */
  abort: (reason?: unknown) => void;
  /** The attempt's signal; its reason says why it was aborted. */
  signal: AbortSignal;
  /** Non-streams and error answers: the body. */
  body?: ArrayBuffer;
}

/**
 * Calls an upstream with the worker's resilience rules. Timeouts: response headers of a stream
 * within `connectTimeoutMs`, its first body byte within `firstByteTimeoutMs`, a non-streamed
 * reply whole within `responseTimeoutMs`. 408, 429, 5xx and 529 answers, connection errors and
 * timeouts are retried with exponential backoff and jitter (or the upstream's `retry-after`, when
 * it is short enough) — but only until the first byte: after that, the reply belongs to the client.
 * The upstream's circuit breaker is consulted before every attempt and told every verdict; the
 * client's disconnect aborts the attempt in flight.
 */
export async function fetchUpstream(call: UpstreamCall): Promise<UpstreamResult> {
  const { policy, signal } = call;
  const breaker = breakerFor(call.name, policy.failureThreshold, policy.cooldownMs);
  const started = Date.now();
  let lastError: ApiError | null = null;
  for (let attempt = 0; attempt <= policy.maxRetries; attempt++) {
    if (signal.aborted) throw new ClientAborted();
    if (!breaker.tryAcquire()) {
      if (lastError) throw lastError;
      const wait = Math.max(1, Math.ceil(breaker.retryInMs() / 1000));
      throw new ApiError(
        503,
        'circuit_open',
        'The AI service has been failing, so the server is giving it a short rest; try again shortly.',
        { 'retry-after': String(wait) },
        'overloaded_error'
      );
    }
    const controller = new AbortController();
    const onClientAbort = () => controller.abort(new ClientAborted());
    signal.addEventListener('abort', onClientAbort);
    const deadline = (ms: number, phase: 'connect' | 'first_byte' | 'response') =>
      setTimeout(() => controller.abort(new TimeoutReason(phase)), ms);
    let timer = deadline(
      call.stream ? policy.connectTimeoutMs : policy.responseTimeoutMs,
      call.stream ? 'connect' : 'response'
    );
    const done = () => {
      clearTimeout(timer);
    };
    const abort = (reason?: unknown) => controller.abort(reason);
    let delay: number | null;
    // A committed stream keeps the link: a client leaving mid-reply must still cancel upstream.
    let keepLink = false;
    try {
      const response = await fetch(await call.request(), { signal: controller.signal });
      if (response.ok && call.stream && response.body) {
        clearTimeout(timer);
        timer = deadline(policy.firstByteTimeoutMs, 'first_byte');
        const stream = await splitStream(response.body as ReadableStream<Uint8Array>);
        done();
        breaker.success();
        keepLink = true;
        return {
          status: response.status,
          headers: response.headers,
          attempts: attempt + 1,
          upstreamMs: Date.now() - started,
          stream,
          abort,
          signal: controller.signal
        };
      }
      const body = await response.arrayBuffer();
      done();
      const result: UpstreamResult = {
        status: response.status,
        headers: response.headers,
        attempts: attempt + 1,
        upstreamMs: Date.now() - started,
        body,
        abort,
        signal: controller.signal
      };
      if (response.ok) {
        breaker.success();
        return result;
      }
      if (response.status >= 500 || response.status === 408) breaker.failure();
      else breaker.release();
      if (!shouldRetry(response) || attempt === policy.maxRetries) return result;
      delay = retryDelayMs(response.headers, attempt, policy);
      if (delay === null) return result;
    } catch {
      done();
      const reason: unknown = controller.signal.reason;
      if (signal.aborted || reason instanceof ClientAborted) {
        breaker.release();
        throw new ClientAborted();
      }
      breaker.failure();
      lastError =
        reason instanceof TimeoutReason
          ? new ApiError(
              504,
              'upstream_timeout',
              reason.phase === 'connect'
                ? 'The AI service did not answer in time.'
                : reason.phase === 'first_byte'
                  ? 'The AI service did not start its reply in time.'
                  : 'The AI service did not finish its reply in time.',
              {},
              'api_error'
            )
          : new ApiError(
              502,
              'upstream_unavailable',
              'The AI service could not be reached.',
              {},
              'api_error'
            );
      if (attempt === policy.maxRetries) throw lastError;
      delay = retryDelayMs(new Headers(), attempt, policy);
    } finally {
      if (!keepLink) signal.removeEventListener('abort', onClientAbort);
    }
    await abortableSleep(delay ?? 0, signal);
  }
  throw lastError ?? new ApiError(502, 'upstream_error', 'The AI service failed.', {}, 'api_error');
}

/** A streamed body split in two (`tee`): one half for the client, one to read on the side. */
export interface SplitStream {
  /** Every byte, for the client: the worker pipes it on without reading it. */
  body: ReadableStream<Uint8Array>;
  /** The same bytes after `first`, for the worker to read at its own pace. */
  copy: ReadableStream<Uint8Array>;
  /** The copy's first chunk, read to know the reply has begun (unlocked again after). */
  first: Uint8Array;
}

/** Splits a streamed body and reads the copy's first chunk (which throws if it ends before one). */
export async function splitStream(body: ReadableStream<Uint8Array>): Promise<SplitStream> {
  const [toClient, copy] = body.tee();
  const reader = copy.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('the reply ended before it began');
      if (value.byteLength) return { body: toClient, copy, first: value };
    }
  } finally {
    reader.releaseLock();
  }
}
