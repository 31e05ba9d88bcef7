import { errorBody } from '../errors';
import type { UpstreamResult } from './fetch-upstream';
import { ClientAborted, TimeoutReason } from './retry';
import { SseTally } from './sse-tally';

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

const enc = new TextEncoder();

/** The `error` event that ends a reply cut short, in the one error shape (Messages API envelope). */
function cutShortEvent(message: string, requestId: string): string {
  const data = errorBody('api_error', 'upstream_unavailable', message, requestId);
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Most bytes one read of the copy takes (far more than a second of any reply). */
const READ_BYTES = 64 * 1024;
/** How often the copy is read while a reply streams, and the idle watchdog looks. */
const READ_EVERY_MS = 1000;

/**
 * A pass-through whose bytes never enter JavaScript: workerd's `IdentityTransformStream` (its
 * standard `TransformStream` is implemented in JavaScript); the standard one elsewhere (Node tests).
 */
function passThrough(): TransformStream<Uint8Array, Uint8Array> {
  const native = (globalThis as { IdentityTransformStream?: new () => TransformStream })
    .IdentityTransformStream;
  return native ? (new native() as TransformStream<Uint8Array, Uint8Array>) : new TransformStream();
}

/**
 * Relays a Messages API event stream to the client untouched, piped by the runtime: on workerd no
 * chunk enters JavaScript on its way (reading and re-enqueueing each one cost ~1.8 ms of CPU per
 * chat, measured). The worker reads a copy of the stream on the side, at most once a second while
 * it flows (the runtime hands over everything queued in one read) and once at its end, for the
 * token usage and the end. A stream that ends without `message_stop` and without an upstream
 * `error` event (which reaches the client as the upstream sent it) gets an `error` event appended,
 * in the one error shape: after a dropped connection, a stall longer than `idleTimeoutMs` (noticed
 * up to two reads of the copy, ~2 s, late) or an early end. A client that leaves cancels the
 * upstream request. `done` resolves a task after the stream has ended.
 */
export function relaySse(
  upstream: UpstreamResult,
  options: RelayOptions
): { body: ReadableStream<Uint8Array>; done: Promise<StreamSummary> } {
  const { body, copy, first } = upstream.stream!;
  const started = Date.now();
  const tally = new SseTally(options.collectText);
  tally.feed(first);
  const reader = copy.getReader({ mode: 'byob' });
  const pipe = passThrough();
  let buffer = new ArrayBuffer(READ_BYTES);
  let reading: Promise<boolean> | null = null;
  let full = false;
  let copyEnded = false;
  let heardAt = started;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolveDone: (s: StreamSummary) => void = () => undefined;
  const done = new Promise<StreamSummary>((resolve) => (resolveDone = resolve));

  /** One read of the copy: all bytes queued since the last one (up to READ_BYTES); true at its end. */
  const readCopy = (): Promise<boolean> =>
    (reading ??= reader.read(new Uint8Array(buffer)).then(
      ({ done: ended, value }) => {
        reading = null;
        if (ended) return (copyEnded = true);
        buffer = value.buffer; // a BYOB read hands its buffer back
        heardAt = Date.now();
        full = value.byteLength === READ_BYTES;
        tally.feed(value);
        return false;
      },
      (err: unknown) => {
        reading = null;
        buffer = new ArrayBuffer(READ_BYTES);
        throw err;
      }
    ));
  const readQueued = async () => {
    while (!(await readCopy()) && full);
  };

  const tickMs = Math.max(1, Math.min(READ_EVERY_MS, Math.floor(options.idleTimeoutMs / 2)));
  const tick = () => {
    if (finished || copyEnded) return;
    // A read still waiting from an earlier tick: nothing has come from the upstream since.
    if (reading && Date.now() - heardAt >= options.idleTimeoutMs) {
      return upstream.abort(new TimeoutReason('idle'));
    }
    // A failed read is met again, and reported, by the read at the end.
    if (!reading) readQueued().catch(() => undefined);
    timer = setTimeout(tick, tickMs);
  };
  timer = setTimeout(tick, tickMs);

  const finish = (outcome: StreamSummary['outcome']) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    const summary: StreamSummary = {
      outcome,
      inputTokens: tally.inputTokens,
      outputTokens: tally.outputTokens,
      text: tally.text,
      streamMs: Date.now() - started
    };
    // Resolved a task later: what waits on it (the spend, the log line) runs on this thread.
    setTimeout(() => resolveDone(summary), 0);
  };

  /** After the client's half has ended (or failed): reads the rest of the copy, ends the reply. */
  const settle = async () => {
    const writer = pipe.writable.getWriter();
    // The client left (its side errored): stop the upstream, which also ends the copy.
    writer.closed.catch(() => {
      if (!finished) upstream.abort(new ClientAborted());
    });
    let failure: unknown = null;
    try {
      while (!(await readCopy()));
    } catch (err) {
      failure = upstream.signal.aborted ? upstream.signal.reason : err;
    }
    if (failure instanceof ClientAborted) {
      writer.abort().catch(() => undefined);
      return finish('client_aborted');
    }
    if (!failure) tally.end();
    const tail =
      tally.sawStop || tally.sawError
        ? ''
        : // A blank line first: had the stream stopped inside an event, the client would hold
          // its first part, and this closes it off so the error event stands on its own. (The
          // copy cannot tell: a reset discards what it had not read yet.) Else it is ignored.
          '\n\n' +
          cutShortEvent(
            failure instanceof TimeoutReason
              ? 'The AI service stopped sending mid-reply.'
              : failure
                ? 'The connection to the AI service dropped mid-reply.'
                : 'The AI service ended the reply before it was complete.',
            options.requestId
          );
    try {
      if (tail) await writer.write(enc.encode(tail));
      await writer.close();
      finish(tally.sawStop ? 'complete' : 'error_event');
    } catch {
      finish('client_aborted');
    }
  };

  // Why the client's half stopped is read from the copy (or from the client's side, in settle).
  // Not cancelled by the pipe when the client leaves: cancelling one half of a tee waits for the
  // other half, so the pipe would not settle; settle aborts the upstream instead, ending both.
  void body
    .pipeTo(pipe.writable, { preventClose: true, preventAbort: true, preventCancel: true })
    .catch(() => undefined)
    .then(settle);
  return { body: pipe.readable, done };
}
