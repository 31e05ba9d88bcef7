/**
 * A loopback stand-in for the Anthropic Messages API (`POST /v1/messages`), speaking the real wire
 * format: the key (`Authorization: Bearer` or `x-api-key`) and `anthropic-version` headers, JSON errors in Anthropic's envelope, and
 * for `stream: true` the documented SSE event sequence (message_start, content_block_start, ping,
 * content_block_delta…, content_block_stop, message_delta, message_stop). Tests point the worker's
 * ANTHROPIC_BASE_URL at it; product code keeps the real SDK and base URL.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. */
export interface RecordedRequest {
  headers: IncomingMessage['headers'];
  /** When it arrived (Date.now()), to check the spacing of retries. */
  receivedAt: number;
  /** The fault it was answered with. */
  fault: StubFault;
  /** Set once the exchange is over: true when the client closed the connection before the end. */
  clientClosedEarly?: boolean;
  body: {
    model?: string;
    max_tokens?: number;
    stream?: boolean;
    system?: unknown;
    messages?: { role: string; content: unknown }[];
  };
}

/**
 * Failure modes for resilience tests: error answers (500, 529 overloaded, 429 with retry-after),
 * a connection reset before any answer, slow response headers or a slow first byte (by
 * `slowMs`), and mid-stream failures: Anthropic's own `error` event, a reset, a stall (the
 * connection stays open, nothing more comes) and a clean end without `message_stop`.
 */
export type StubFault =
  | 'none'
  | 'http-500'
  | 'overloaded-529'
  | 'rate-limit-429'
  | 'mid-stream-error'
  | 'reset'
  | 'slow-headers'
  | 'slow-first-byte'
  | 'reset-mid-stream'
  | 'stall-mid-stream'
  | 'end-early';

/** Options of the stub. */
export interface AnthropicStubOptions {
  /** The key the stub accepts. */
  apiKey: string;
  /** Delay before the first byte of a reply. */
  firstTokenDelayMs?: number;
  /** Delay between streamed deltas. */
  tokenDelayMs?: number;
  /**
   * Reply text for a request; defaults to a fixed sentence quoting the last user message. A
   * session summary request always gets a valid JSON answer ({@link summaryReply}).
   */
  reply?: (request: RecordedRequest['body']) => string;
  /** The delay of the slow-* faults (default 5000 ms). */
  slowMs?: number;
  /** The `retry-after` of the 429 fault, in seconds (default 1). */
  retryAfterSeconds?: number;
}

/** A running stub. */
export interface AnthropicStub {
  url: string;
  requests: RecordedRequest[];
  /** Answers every following request with this fault. */
  setFault(fault: StubFault): void;
  /** Answers the next requests with these faults, one each, before the standing fault applies. */
  queueFaults(...faults: StubFault[]): void;
  /** Changes the delays (and the 429's retry-after) for the following requests. */
  setTiming(
    timing: Partial<
      Pick<AnthropicStubOptions, 'firstTokenDelayMs' | 'tokenDelayMs' | 'retryAfterSeconds'>
    >
  ): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The default reply: quotes the start of the last user message so tests can see it went through. */
export function defaultReply(body: RecordedRequest['body']): string {
  const last = body.messages?.at(-1)?.content;
  const text =
    typeof last === 'string'
      ? last
      : Array.isArray(last)
        ? String((last[0] as { text?: string })?.text ?? '')
        : '';
  return `Stub partner heard: "${text.slice(0, 40)}". What is the key idea you want to remember?`;
}

/**
 * A request for a session summary (the app's summary prompt asks for one JSON object with title,
 * summary, takeaways and tags): answered with such an object, built from the first words the
 * person said, so tests can see the session went through.
 */
export function summaryReply(body: RecordedRequest['body']): string | null {
  const system = JSON.stringify(body.system ?? '');
  if (!system.includes('JSON object') || !system.includes('takeaways')) return null;
  const content = body.messages?.at(-1)?.content;
  const said = /Person: ([^\n]*)/.exec(typeof content === 'string' ? content : '')?.[1] ?? '';
  const words = said.split(/\s+/).slice(0, 5).join(' ');
  return JSON.stringify({
    title: `Stub summary: ${words}`,
    summary: `The person talked about ${words}.`,
    takeaways: [`First takeaway about ${words}.`, 'Second takeaway.', 'Third takeaway.'],
    tags: ['stub-summary', 'learning']
  });
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {}
) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_${randomUUID()}`,
    ...headers
  });
  res.end(
    JSON.stringify({ type: 'error', error: { type, message }, request_id: `req_${randomUUID()}` })
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the stub on 127.0.0.1 with a free port. */
export async function startAnthropicStub(options: AnthropicStubOptions): Promise<AnthropicStub> {
  // A copy: setTiming changes this stub's options, never the caller's object.
  options = { ...options };
  const requests: RecordedRequest[] = [];
  let standing: StubFault = 'none';
  const queued: StubFault[] = [];
  const slowMs = options.slowMs ?? 5000;
  const reply = options.reply ?? defaultReply;

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') {
        sendError(res, 404, 'not_found_error', 'Not found');
        return;
      }
      let body: RecordedRequest['body'];
      try {
        body = JSON.parse(await readBody(req)) as RecordedRequest['body'];
      } catch {
        sendError(res, 400, 'invalid_request_error', 'Body is not JSON');
        return;
      }
      const fault = queued.shift() ?? standing;
      const record: RecordedRequest = { headers: req.headers, body, receivedAt: Date.now(), fault };
      requests.push(record);
      res.on('close', () => {
        record.clientClosedEarly = !res.writableFinished;
      });
      // Current SDKs send the key as `Authorization: Bearer`; older clients as `x-api-key`.
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if ((req.headers['x-api-key'] ?? bearer) !== options.apiKey) {
        sendError(res, 401, 'authentication_error', 'invalid x-api-key');
        return;
      }
      if (!req.headers['anthropic-version']) {
        sendError(res, 400, 'invalid_request_error', 'anthropic-version header is required');
        return;
      }
      if (
        typeof body.model !== 'string' ||
        typeof body.max_tokens !== 'number' ||
        !Array.isArray(body.messages)
      ) {
        sendError(res, 400, 'invalid_request_error', 'model, max_tokens and messages are required');
        return;
      }
      if (fault === 'http-500') return sendError(res, 500, 'api_error', 'Internal server error');
      if (fault === 'overloaded-529') return sendError(res, 529, 'overloaded_error', 'Overloaded');
      if (fault === 'rate-limit-429')
        return sendError(res, 429, 'rate_limit_error', 'Rate limited', {
          'retry-after': String(options.retryAfterSeconds ?? 1)
        });
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault === 'slow-headers') await sleep(slowMs);
      await sleep(options.firstTokenDelayMs ?? 0);
      const text = summaryReply(body) ?? reply(body);
      const id = `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
      const outputTokens = text.split(/\s+/).length;
      const inputTokens = JSON.stringify(body.messages).length >> 2;
      if (!body.stream) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'request-id': `req_${randomUUID()}`
        });
        res.end(
          JSON.stringify({
            id,
            type: 'message',
            role: 'assistant',
            model: body.model,
            content: [{ type: 'text', text }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: inputTokens, output_tokens: outputTokens }
          })
        );
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'request-id': `req_${randomUUID()}`
      });
      if (fault === 'slow-first-byte') {
        res.flushHeaders();
        await sleep(slowMs);
        if (res.destroyed) return;
      }
      const send = (event: string, data: unknown) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: inputTokens, output_tokens: 1 }
        }
      });
      send('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' }
      });
      send('ping', { type: 'ping' });
      const pieces = text.match(/\S+\s*/g) ?? [text];
      for (const [i, piece] of pieces.entries()) {
        if (res.destroyed) return;
        if (i === Math.floor(pieces.length / 2)) {
          if (fault === 'mid-stream-error') {
            send('error', {
              type: 'error',
              error: { type: 'overloaded_error', message: 'Overloaded' }
            });
            res.end();
            return;
          }
          if (fault === 'reset-mid-stream') return void req.socket.destroy();
          if (fault === 'end-early') return void res.end();
          // Nothing more is sent; the connection stays open until the client gives up.
          if (fault === 'stall-mid-stream') return;
        }
        send('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: piece }
        });
        if (options.tokenDelayMs) await sleep(options.tokenDelayMs);
      }
      send('content_block_stop', { type: 'content_block_stop', index: 0 });
      send('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: outputTokens }
      });
      send('message_stop', { type: 'message_stop' });
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault: (f) => {
      standing = f;
    },
    queueFaults: (...faults) => {
      queued.push(...faults);
    },
    setTiming: (timing) => {
      Object.assign(options, timing);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
