import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentError, streamChat } from '$lib/agent/agent-client';
import type { ChatRequest } from '$contract';
import { anthropicStream, DELTAS, MODEL } from './helpers/app-anthropic-stream';
import {
  closedPort,
  routeRelativeFetch,
  sendJson,
  startServer,
  startSse,
  type TestServer
} from './helpers/app-sse-server';

const REQUEST: ChatRequest = {
  max_tokens: 200,
  system: 'You are a learning partner.',
  messages: [{ role: 'user', content: 'Photosynthesis turns light into sugar.' }]
};

/** The SSE events of the realistic transcript, one string per event. */
const EVENTS = anthropicStream().split(/(?<=\n\n)/);

let server: TestServer;
let origin = '';
let restoreFetch: () => void = () => undefined;

beforeAll(async () => {
  server = await startServer();
  origin = server.origin;
  restoreFetch = routeRelativeFetch(() => origin);
});

afterEach(() => {
  origin = server.origin;
  server.received.length = 0;
});

afterAll(async () => {
  restoreFetch();
  await server.close();
});

async function expectAgentError(promise: Promise<unknown>): Promise<AgentError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(AgentError);
  return err as AgentError;
}

describe('streamChat: a streamed reply', () => {
  it('delivers the deltas in order and returns the full text and model', async () => {
    server.handle(async (_, res) => {
      startSse(res);
      // One write per event, each given time to reach the client on its own.
      for (const event of EVENTS) {
        res.write(event);
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    });
    const deltas: string[] = [];
    const result = await streamChat(REQUEST, { onText: (d) => deltas.push(d) });
    expect(deltas).toEqual(DELTAS);
    expect(result).toEqual({ text: DELTAS.join(''), model: MODEL });
  });

  it('handles the whole stream written at once', async () => {
    server.handle((_, res) => {
      startSse(res);
      res.end(anthropicStream(['One', ' two']));
    });
    const deltas: string[] = [];
    expect(await streamChat(REQUEST, { onText: (d) => deltas.push(d) })).toEqual({
      text: 'One two',
      model: MODEL
    });
    expect(deltas).toEqual(['One', ' two']);
  });

  it('hands over each delta before the server has sent the next', async () => {
    let firstSeen: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (firstSeen = resolve));
    const [head, tail] = splitAfterFirstDelta(anthropicStream());
    server.handle(async (_, res) => {
      startSse(res);
      res.write(head);
      // The rest is only sent once the client has shown the first delta.
      await seen;
      res.end(tail);
    });
    const deltas: string[] = [];
    const result = await streamChat(REQUEST, {
      onText: (d) => {
        deltas.push(d);
        firstSeen();
      }
    });
    expect(deltas).toEqual(DELTAS);
    expect(result.text).toBe(DELTAS.join(''));
  });

  it('posts the request as JSON with stream: true', async () => {
    server.handle((_, res) => {
      startSse(res);
      res.end(anthropicStream(['ok']));
    });
    await streamChat(REQUEST, { onText: () => undefined });
    const [received] = server.received;
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/api/chat');
    expect(received?.headers['content-type']).toBe('application/json');
    expect(received?.headers.authorization).toBeUndefined();
    expect(JSON.parse(received?.body ?? '')).toEqual({ ...REQUEST, stream: true });
  });

  it('sends the access token as a bearer token', async () => {
    server.handle((_, res) => {
      startSse(res);
      res.end(anthropicStream(['ok']));
    });
    await streamChat(REQUEST, { accessToken: 's3cret', onText: () => undefined });
    expect(server.received[0]?.headers.authorization).toBe('Bearer s3cret');
  });

  it('returns a null model when message_start names none', async () => {
    server.handle((_, res) => {
      startSse(res);
      res.end(anthropicStream(['hi'], ''));
    });
    expect((await streamChat(REQUEST, { onText: () => undefined })).model).toBeNull();
  });

  it('ignores non-text deltas', async () => {
    const thinking =
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,' +
      '"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":"}}\n\n';
    server.handle((_, res) => {
      startSse(res);
      const [head, tail] = splitAfterFirstDelta(anthropicStream(['A', 'B']));
      res.end(head + thinking + tail);
    });
    const deltas: string[] = [];
    const result = await streamChat(REQUEST, { onText: (d) => deltas.push(d) });
    expect(deltas).toEqual(['A', 'B']);
    expect(result.text).toBe('AB');
  });
});

describe('streamChat: failures during the stream', () => {
  it('throws stream_error on an error event mid-stream, after the deltas before it', async () => {
    const error =
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    server.handle((_, res) => {
      res.setHeader('x-request-id', 'req-relayed');
      startSse(res);
      const [head] = splitAfterFirstDelta(anthropicStream());
      res.end(head + error);
    });
    const deltas: string[] = [];
    const err = await expectAgentError(streamChat(REQUEST, { onText: (d) => deltas.push(d) }));
    expect(err.code).toBe('stream_error');
    expect(err.message).toContain('Overloaded');
    // The upstream's own error event has no request id: the worker's response header gives it.
    expect(err.requestId).toBe('req-relayed');
    expect(err.useFallback).toBe(true);
    expect(deltas).toEqual([DELTAS[0]]);
  });

  it('throws stream_error when the stream ends without message_stop', async () => {
    server.handle((_, res) => {
      startSse(res);
      res.end(anthropicStream().replace(/event: message_stop\n[^\n]*\n\n$/, ''));
    });
    const deltas: string[] = [];
    const err = await expectAgentError(streamChat(REQUEST, { onText: (d) => deltas.push(d) }));
    expect(err.code).toBe('stream_error');
    expect(err.useFallback).toBe(true);
    expect(deltas).toEqual(DELTAS);
  });

  it('throws an AgentError when the connection drops mid-stream', async () => {
    server.handle((_, res) => {
      startSse(res);
      const [head] = splitAfterFirstDelta(anthropicStream());
      res.write(head, () => setImmediate(() => res.socket?.destroy()));
    });
    const err = await expectAgentError(streamChat(REQUEST, { onText: () => undefined }));
    expect(err.code).toBe('stream_error');
    expect(err.useFallback).toBe(true);
  });
  it('throws stream_error on an event whose data is not JSON', async () => {
    server.handle((_, res) => {
      startSse(res);
      const [head, tail] = splitAfterFirstDelta(anthropicStream());
      res.end(`${head}event: content_block_delta\ndata: {"type":"content_blo\n\n${tail}`);
    });
    const err = await expectAgentError(streamChat(REQUEST, { onText: () => undefined }));
    expect(err.code).toBe('stream_error');
  });

  it('rethrows the abort, not a stream error, when the caller stops a streaming reply', async () => {
    server.handle((_, res) => {
      startSse(res);
      const [head] = splitAfterFirstDelta(anthropicStream());
      res.write(head); // and then nothing more
    });
    const controller = new AbortController();
    const err = await streamChat(REQUEST, {
      signal: controller.signal,
      onText: () => controller.abort()
    }).then(
      () => null,
      (e: unknown) => e
    );
    expect(err).not.toBeInstanceOf(AgentError);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('streamChat: error responses', () => {
  it('maps a 503 upstream_not_configured body to its code, with the fallback', async () => {
    server.handle((_, res) =>
      sendJson(res, 503, {
        type: 'error',
        error: {
          type: 'api_error',
          code: 'upstream_not_configured',
          message: 'Claude is not configured on this server.',
          requestId: 'req_123'
        }
      })
    );
    const err = await expectAgentError(streamChat(REQUEST, { onText: () => undefined }));
    expect(err.code).toBe('upstream_not_configured');
    expect(err.message).toBe('Claude is not configured on this server.');
    expect(err.requestId).toBe('req_123');
    expect(err.useFallback).toBe(true);
  });

  it('maps a 401 unauthorized body to its code, without the fallback', async () => {
    server.handle((_, res) =>
      sendJson(res, 401, {
        type: 'error',
        error: {
          type: 'authentication_error',
          code: 'unauthorized',
          message: 'A valid access token is required.',
          requestId: 'req_401'
        }
      })
    );
    const err = await expectAgentError(streamChat(REQUEST, { onText: () => undefined }));
    expect(err.code).toBe('unauthorized');
    expect(err.useFallback).toBe(false);
  });

  it('uses the x-request-id header when the body has no request id', async () => {
    server.handle((_, res) =>
      sendJson(
        res,
        429,
        {
          type: 'error',
          error: { type: 'rate_limit_error', code: 'rate_limited', message: 'Slow down.' }
        },
        { 'x-request-id': 'req_header' }
      )
    );
    const err = await expectAgentError(streamChat(REQUEST, { onText: () => undefined }));
    expect(err.code).toBe('rate_limited');
    expect(err.requestId).toBe('req_header');
    expect(err.useFallback).toBe(true);
  });

  it('maps a non-JSON error page to upstream_error with the status', async () => {
    server.handle((_, res) => {
      res.writeHead(502, { 'content-type': 'text/html', 'x-request-id': 'req_html' });
      res.end('<html><body>Bad gateway</body></html>');
    });
    const err = await expectAgentError(streamChat(REQUEST, { onText: () => undefined }));
    expect(err.code).toBe('upstream_error');
    expect(err.message).toContain('502');
    expect(err.requestId).toBe('req_html');
    expect(err.useFallback).toBe(true);
  });

  it('maps a refused connection to network, with the fallback', async () => {
    origin = `http://127.0.0.1:${await closedPort()}`;
    const err = await expectAgentError(streamChat(REQUEST, { onText: () => undefined }));
    expect(err.code).toBe('network');
    expect(err.useFallback).toBe(true);
    expect(err.message.length).toBeGreaterThan(10);
  });

  it('rethrows the abort, not a network error, when the caller aborted', async () => {
    server.handle(() => undefined); // never answers
    const controller = new AbortController();
    const pending = streamChat(REQUEST, { signal: controller.signal, onText: () => undefined });
    controller.abort();
    const err = await pending.then(
      () => null,
      (e: unknown) => e
    );
    expect(err).not.toBeInstanceOf(AgentError);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('AgentError', () => {
  it.each([
    ['network', true],
    ['upstream_not_configured', true],
    ['upstream_unavailable', true],
    ['upstream_error', true],
    ['rate_limited', true],
    ['stream_error', true],
    ['unauthorized', false],
    ['invalid_request', false],
    ['model_not_allowed', false],
    ['payload_too_large', false]
  ] as const)('%s → useFallback %s', (code, fallback) => {
    expect(new AgentError(code, 'message').useFallback).toBe(fallback);
  });
});

/** Splits an SSE body just after its first content_block_delta event. */
function splitAfterFirstDelta(body: string): [string, string] {
  const start = body.indexOf('event: content_block_delta');
  const end = body.indexOf('\n\n', start) + 2;
  return [body.slice(0, end), body.slice(end)];
}
