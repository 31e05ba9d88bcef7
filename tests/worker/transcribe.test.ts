/**
 * `POST /api/transcribe` on workerd against a loopback OpenAI-compatible
 * `/v1/audio/transcriptions`: the multipart request as the real API takes it, checks on size,
 * type and content, normalisation to `{ text, segments, language, durationMs }`, retries, and
 * the per-device daily audio budget.
 */
import type { TranscribeResponse } from '$contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIStub, type OpenAIStub } from '../stubs/openai-stub';
import { startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev';
import { expectError, pairDevice, recordedFetch, seenResponses } from './helpers';

const KEY = 'sk-openai-test-key-0123456789abcdef';
const SECRET = 'transcribe-pairing-secret-0123';

let stub: OpenAIStub;
let worker: WranglerDev;
let token: string;

/** A real PCM WAV file: 16 kHz mono 16-bit, a quiet tone, `seconds` long. */
function wav(seconds: number): Uint8Array<ArrayBuffer> {
  const rate = 16_000;
  const samples = Math.round(seconds * rate);
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVEfmt ', 8, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(rate, 24);
  buffer.writeUInt32LE(rate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    buffer.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  }
  return new Uint8Array(buffer);
}

function form(file: Blob | null, fields: Record<string, string> = {}, name = 'clip.wav') {
  const body = new FormData();
  if (file) body.append('file', file, name);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

const post = (body: BodyInit, headers: Record<string, string> = {}, auth = token) =>
  recordedFetch(`${worker.url}/api/transcribe`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth}`, ...headers },
    body
  });

beforeAll(async () => {
  stub = await startOpenAIStub({ apiKey: KEY, slowMs: 3000 });
  worker = await startWranglerDev({
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: stub.url,
    PAIRING_SECRET: SECRET,
    DAILY_TRANSCRIBE_SECONDS: '5',
    UPSTREAM_BACKOFF_BASE_MS: '50',
    UPSTREAM_MAX_RETRIES: '3',
    CIRCUIT_FAILURE_THRESHOLD: '100',
    UPSTREAM_RESPONSE_TIMEOUT_MS: '1500'
  });
  token = await pairDevice(worker.url, SECRET);
});

afterAll(async () => {
  await worker?.close();
  await stub?.close();
});

describe('POST /api/transcribe', () => {
  it('forwards the audio as the real API takes it and normalises the verbose answer', async () => {
    const before = stub.requests.length;
    const audio = wav(2);
    const response = await post(
      form(new Blob([audio], { type: 'audio/wav' }), { language: 'en', prompt: 'JFK, inaugural' })
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as TranscribeResponse;
    expect(body.text).toBe('And so my fellow Americans, ask not what your country can do for you.');
    expect(body.language).toBe('en');
    expect(body.durationMs).toBe(2000);
    expect(body.segments).toHaveLength(2);
    expect(body.segments[0]).toEqual({
      start: 0,
      end: 1,
      text: 'And so my fellow Americans, ask not'
    });
    expect(Object.keys(body).sort()).toEqual(['durationMs', 'language', 'segments', 'text']);
    const seen = stub.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.fields).toEqual({
      model: 'whisper-1',
      response_format: 'verbose_json',
      'timestamp_granularities[]': 'segment',
      language: 'en',
      prompt: 'JFK, inaugural'
    });
    expect(seen[0]!.file).toEqual({ name: 'clip.wav', type: 'audio/wav', size: audio.byteLength });
  });

  it('needs a device token', async () => {
    const response = await post(form(new Blob([wav(0.5)], { type: 'audio/wav' })), {}, 'nope');
    await expectError(response, 401, 'unauthorized');
  });

  it('refuses a wrong content type, a non-audio type, and bytes that are not audio', async () => {
    await expectError(
      await post(JSON.stringify({ file: 'x' }), { 'content-type': 'application/json' }),
      415,
      'unsupported_media_type'
    );
    await expectError(
      await post(form(new Blob(['hello'], { type: 'text/plain' }), {}, 'a.txt')),
      415,
      'unsupported_media_type'
    );
    const pdf = new Blob(['%PDF-1.7 not audio at all, just pretending'], { type: 'audio/wav' });
    await expectError(await post(form(pdf)), 415, 'unsupported_media_type');
  });

  it('refuses unknown fields, a missing file and an empty one', async () => {
    const audio = new Blob([wav(0.5)], { type: 'audio/wav' });
    await expectError(await post(form(audio, { temperature: '1' })), 400, 'invalid_request');
    await expectError(await post(form(audio, { language: 'English!' })), 400, 'invalid_request');
    await expectError(await post(form(null, { language: 'en' })), 400, 'invalid_request');
    await expectError(
      await post(form(new Blob([], { type: 'audio/wav' }))),
      400,
      'invalid_request'
    );
  });

  it('cuts an oversize upload off with 413', async () => {
    const big = new Blob([new Uint8Array(26 * 1024 * 1024)], { type: 'audio/wav' });
    await expectError(await post(form(big)), 413, 'payload_too_large');
  });

  it('retries upstream 500, 429 and resets, and maps a lasting failure', async () => {
    const audio = () => form(new Blob([wav(0.5)], { type: 'audio/wav' }));
    stub.queueFaults('http-500', 'rate-limit-429', 'reset');
    const before = stub.requests.length;
    expect((await post(audio())).status).toBe(200);
    expect(stub.requests.length - before).toBe(4);
    stub.queueFaults('http-500', 'http-500', 'http-500', 'http-500');
    await expectError(await post(audio()), 502, 'upstream_error');
    stub.queueFaults('slow-response', 'slow-response', 'slow-response', 'slow-response');
    await expectError(await post(audio()), 504, 'upstream_timeout');
  });

  it('stops a device at its daily audio budget with 429 and Retry-After', async () => {
    const own = await pairDevice(worker.url, SECRET);
    const clip = () => form(new Blob([wav(3)], { type: 'audio/wav' }));
    expect((await post(clip(), {}, own)).status).toBe(200);
    expect((await post(clip(), {}, own)).status).toBe(200);
    const over = await post(clip(), {}, own);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    await expectError(over, 429, 'budget_exhausted');
  });

  it('never shows the key', () => {
    for (const text of seenResponses) expect(text).not.toContain(KEY);
    expect(worker.output()).not.toContain(KEY);
    expect(worker.output()).not.toContain('fellow Americans');
  });
});
