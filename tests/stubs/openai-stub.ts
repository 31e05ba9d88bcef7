/**
 * A loopback stand-in for an OpenAI-compatible `POST /v1/audio/transcriptions`, speaking the real
 * wire format: `Authorization: Bearer <key>`, a multipart form (`file`, `model`,
 * `response_format`, `language`, `prompt`, `timestamp_granularities[]`), answers as `json`
 * (`{ text, usage }`) or `verbose_json` (`{ task, language, duration, text, segments, usage }`),
 * and errors in OpenAI's envelope `{ error: { message, type, param, code } }`. Tests point the
 * worker's OPENAI_BASE_URL at it; product code keeps the real base URL.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** GET path listing what the stub received (not part of OpenAI's API; for cross-process tests). */
export const INSPECT_PATH = '/__stub/requests';

/** What the stub received in one request. */
export interface RecordedTranscription {
  headers: IncomingMessage['headers'];
  receivedAt: number;
  fields: Record<string, string>;
  file: { name: string; type: string; size: number } | null;
  fault: OpenAIStubFault;
}

/** Failure modes for resilience tests. */
export type OpenAIStubFault =
  'none' | 'http-500' | 'rate-limit-429' | 'reset' | 'slow-response' | 'unsupported-format';

/** Options of the stub. */
export interface OpenAIStubOptions {
  apiKey: string;
  /** Transcript returned for every request. */
  transcript?: string;
  /** Whisper-style language name in verbose_json answers (default 'english'). */
  language?: string;
  /** Delay of the slow-response fault (default 5000 ms). */
  slowMs?: number;
}

/** A running stub. */
export interface OpenAIStub {
  url: string;
  requests: RecordedTranscription[];
  setFault(fault: OpenAIStubFault): void;
  queueFaults(...faults: OpenAIStubFault[]): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sendError(res: ServerResponse, status: number, message: string, type: string, extra = {}) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-request-id': randomUUID(),
    ...extra
  });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Duration of a PCM WAV in seconds from its header, or 1 when it is not one. */
function durationOf(bytes: Uint8Array): number {
  const view = Buffer.from(bytes);
  if (view.length < 44 || view.toString('ascii', 0, 4) !== 'RIFF') return 1;
  const byteRate = view.readUInt32LE(28);
  for (let offset = 12; offset + 8 <= view.length;) {
    const size = view.readUInt32LE(offset + 4);
    if (view.toString('ascii', offset, offset + 4) === 'data') {
      return Math.min(size, view.length - offset - 8) / byteRate;
    }
    offset += 8 + size + (size % 2);
  }
  return 1;
}

/** Starts the stub on 127.0.0.1 with a free port. */
export async function startOpenAIStub(options: OpenAIStubOptions): Promise<OpenAIStub> {
  const requests: RecordedTranscription[] = [];
  let standing: OpenAIStubFault = 'none';
  const queued: OpenAIStubFault[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      // Test-only inspection (browser tests run in other processes than the stub): what arrived.
      if (req.method === 'GET' && req.url === INSPECT_PATH) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify(
            requests.map(({ headers, ...r }) => ({
              ...r,
              authorized: headers.authorization === `Bearer ${options.apiKey}`
            }))
          )
        );
      }
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/audio/transcriptions') {
        return sendError(res, 404, 'Not found', 'invalid_request_error');
      }
      const raw = await readBody(req);
      let form: FormData;
      try {
        // Node's fetch Request parses multipart exactly as a server framework would.
        form = await new Request('http://stub/', {
          method: 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? '' },
          body: new Uint8Array(raw)
        }).formData();
      } catch {
        return sendError(res, 400, 'Could not parse multipart form', 'invalid_request_error');
      }
      const fields: Record<string, string> = {};
      let file: File | null = null;
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') fields[name] = value;
        else file = value;
      }
      const fault = queued.shift() ?? standing;
      requests.push({
        headers: req.headers,
        receivedAt: Date.now(),
        fields,
        file: file ? { name: file.name, type: file.type, size: file.size } : null,
        fault
      });
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return sendError(res, 401, 'Incorrect API key provided', 'invalid_request_error');
      }
      if (!file)
        return sendError(res, 400, "Missing required parameter: 'file'", 'invalid_request_error');
      if (!fields.model)
        return sendError(res, 400, "Missing required parameter: 'model'", 'invalid_request_error');
      const format = fields.response_format ?? 'json';
      if (fault === 'http-500')
        return sendError(res, 500, 'The server had an error', 'server_error');
      if (fault === 'rate-limit-429') {
        return sendError(res, 429, 'Rate limit reached', 'requests', { 'retry-after': '1' });
      }
      if (fault === 'reset') return void req.socket.destroy();
      if (fault === 'slow-response') await sleep(options.slowMs ?? 5000);
      if (fault === 'unsupported-format' && format === 'verbose_json') {
        return sendError(
          res,
          400,
          "response_format 'verbose_json' is not compatible with this model",
          'invalid_request_error'
        );
      }
      const text =
        options.transcript ??
        'And so my fellow Americans, ask not what your country can do for you.';
      const duration = durationOf(new Uint8Array(await file.arrayBuffer()));
      const usage = { type: 'duration', seconds: Math.ceil(duration) };
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': randomUUID() });
      if (format === 'text') return void res.end(text);
      if (format !== 'verbose_json') return void res.end(JSON.stringify({ text, usage }));
      const words = text.split(' ');
      const half = Math.ceil(words.length / 2);
      const segment = (id: number, start: number, end: number, part: string) => ({
        id,
        seek: 0,
        start,
        end,
        text: ` ${part}`,
        tokens: [50364, 400],
        temperature: 0,
        avg_logprob: -0.25,
        compression_ratio: 1.2,
        no_speech_prob: 0.01
      });
      res.end(
        JSON.stringify({
          task: 'transcribe',
          language: options.language ?? 'english',
          duration,
          text,
          segments: [
            segment(0, 0, duration / 2, words.slice(0, half).join(' ')),
            segment(1, duration / 2, duration, words.slice(half).join(' '))
          ],
          usage
        })
      );
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
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
