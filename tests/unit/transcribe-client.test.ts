/** The /api/transcribe client against a real loopback HTTP server speaking the contract. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav } from '$lib/audio/wav';
import {
  RemoteTranscribeError,
  transcribeRemote
} from '$lib/transcribe-fallback/transcribe-client';
import { closedPort, routeRelativeFetch } from './helpers/app-sse-server';

interface Seen {
  headers: IncomingMessage['headers'];
  form: FormData;
}
let server: Server;
let origin: string;
let target = '';
let restoreFetch: () => void;
let respond: (seen: Seen, res: ServerResponse) => void;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Parse the multipart body the way the worker does: with the platform's own FormData.
      void new Request('http://x/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Buffer.concat(chunks)
      })
        .formData()
        .then((form) => {
          const s = { headers: req.headers, form };
          seen.push(s);
          respond(s, res);
        });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The client speaks to its own origin ('/api/transcribe'); route that to the loopback server.
  restoreFetch = routeRelativeFetch(() => target);
});
afterAll(() => {
  restoreFetch();
  return new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  target = origin;
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const wav = () =>
  new Blob([encodeWav(new Float32Array(16_000).fill(0.1), 16_000)], { type: 'audio/wav' });

describe('transcribeRemote', () => {
  it('posts the audio as multipart with language, prompt and the access token', async () => {
    respond = (_, res) =>
      json(res, 200, {
        text: 'Hello there.',
        segments: [{ start: 0, end: 1, text: 'Hello there.' }],
        language: 'en',
        durationMs: 1000
      });
    const result = await transcribeRemote(
      wav(),
      { language: 'en', prompt: 'Krebs cycle, ATP' },
      { accessToken: 'tok-123' }
    );
    expect(result.text).toBe('Hello there.');
    const last = seen.at(-1)!;
    expect(last.headers.authorization).toBe('Bearer tok-123');
    const file = last.form.get('file') as File;
    expect(file.type).toBe('audio/wav');
    expect(file.size).toBe(44 + 32_000);
    expect(last.form.get('language')).toBe('en');
    expect(last.form.get('prompt')).toBe('Krebs cycle, ATP');
  });

  it('maps the shared error shape to a coded error, retryable or not', async () => {
    respond = (_, res) =>
      json(res, 503, {
        type: 'error',
        error: {
          type: 'api_error',
          code: 'upstream_unavailable',
          message: 'Try later.',
          requestId: 'r1'
        }
      });
    const error = await transcribeRemote(wav(), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteTranscribeError);
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true, requestId: 'r1' });

    respond = (_, res) =>
      json(res, 401, {
        type: 'error',
        error: {
          type: 'authentication_error',
          code: 'unauthorized',
          message: 'Token?',
          requestId: 'r2'
        }
      });
    await expect(transcribeRemote(wav(), {})).rejects.toMatchObject({
      code: 'unauthorized',
      retryable: false
    });
  });

  it('rejects an answer that is not a transcript, and a non-JSON failure', async () => {
    respond = (_, res) => json(res, 200, { hello: 'world' });
    await expect(transcribeRemote(wav(), {})).rejects.toMatchObject({
      code: 'invalid_response'
    });
    respond = (_, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    };
    await expect(transcribeRemote(wav(), {})).rejects.toMatchObject({
      code: 'upstream_error',
      retryable: true
    });
  });

  it('reports an unreachable server as a retryable network error', async () => {
    target = `http://127.0.0.1:${await closedPort()}`;
    await expect(transcribeRemote(wav(), {})).rejects.toMatchObject({
      code: 'network',
      retryable: true
    });
  });

  it('refuses audio over the upload limit before sending anything', async () => {
    const before = seen.length;
    const big = new Blob([new Uint8Array(25 * 1024 * 1024 + 1)], { type: 'audio/wav' });
    await expect(transcribeRemote(big, {})).rejects.toMatchObject({
      code: 'payload_too_large',
      retryable: false
    });
    expect(seen.length).toBe(before);
  });
});
