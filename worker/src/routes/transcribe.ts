import {
  TRANSCRIBE_AUDIO_TYPES,
  TRANSCRIBE_MAX_BYTES,
  TranscribeFieldsSchema,
  type TranscribeFields
} from '$contract';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { validationError } from '../lib/body';
import { transcriptionConfig, upstreamPolicy, type TranscriptionConfig } from '../lib/config';
import { ApiError } from '../lib/errors';
import { guard, recordSpend } from '../lib/guard';
import { debugContent } from '../lib/observe';
import { sniffAudio, wavDurationMs } from '../lib/audio';
import { normaliseTranscription } from '../lib/transcription';
import { callUpstream } from '../lib/upstream/call-upstream';

/** Room for the multipart envelope and the small fields around the audio. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
const SERVICE = 'The transcription service';
const TYPES = new Set<string>(TRANSCRIBE_AUDIO_TYPES);

/**
 * `POST /api/transcribe`: a multipart form with the audio `file` (and optional `language`,
 * `prompt`), checked (size, declared type and actual bytes), forwarded to an OpenAI-compatible
 * `/v1/audio/transcriptions` with the server's key, answered as a {@link TranscribeResponse}.
 */
const transcribe = new Hono<AppEnv>();

transcribe.post(
  '/',
  guard('transcription', 'seconds'),
  async (c, next) => {
    if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        'Send the audio as multipart/form-data with a "file" field.'
      );
    }
    await next();
  },
  bodyLimit({
    maxSize: TRANSCRIBE_MAX_BYTES + FORM_OVERHEAD_BYTES,
    onError: () => {
      throw new ApiError(
        413,
        'payload_too_large',
        `The audio is larger than ${TRANSCRIBE_MAX_BYTES / 1024 / 1024} MiB; send a shorter recording.`
      );
    }
  }),
  (c) => handleTranscribe(c)
);

async function handleTranscribe(c: Context<AppEnv>): Promise<Response> {
  const config = transcriptionConfig(c.env);
  if (!config) {
    throw new ApiError(
      503,
      'upstream_not_configured',
      'No transcription API key is configured on the server.',
      {},
      'api_error'
    );
  }
  const { file, fields } = await readForm(c);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const log = c.get('log');
  log.upstream = 'transcription';
  const result = await callUpstream(
    log,
    {
      name: 'transcription',
      policy: upstreamPolicy(c.env),
      request: () => upstreamRequest(config, file, bytes, fields),
      signal: c.req.raw.signal,
      stream: false
    },
    SERVICE
  );
  if (!result) return new Response(null, { status: 499 });
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(result.body));
  } catch {
    throw new ApiError(
      502,
      'upstream_error',
      `${SERVICE} sent an unreadable answer.`,
      {},
      'api_error'
    );
  }
  const answer = normaliseTranscription(raw, {
    language: fields.language,
    durationMs: wavDurationMs(bytes)
  });
  log.audioSeconds = answer.durationMs / 1000;
  log.outcome = 'complete';
  if (debugContent(c.env)) log.content = answer.text.slice(0, 2000);
  c.executionCtx.waitUntil(recordSpend(c, 0, answer.durationMs / 1000));
  return c.json(answer);
}

async function readForm(c: Context<AppEnv>): Promise<{ file: File; fields: TranscribeFields }> {
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    throw new ApiError(400, 'invalid_request', 'The body is not a readable multipart form.');
  }
  const files = form.getAll('file');
  const file = files[0];
  if (files.length !== 1 || !(file instanceof File)) {
    throw new ApiError(400, 'invalid_request', 'file: send exactly one audio file as "file".');
  }
  const rest: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name === 'file') continue;
    if (typeof value !== 'string' || name in rest) {
      throw new ApiError(400, 'invalid_request', `${name}: expected a single text field.`);
    }
    rest[name] = value;
  }
  const parsed = v.safeParse(TranscribeFieldsSchema, rest);
  if (!parsed.success) throw validationError(parsed.issues);
  if (file.size === 0) throw new ApiError(400, 'invalid_request', 'file: the audio file is empty.');
  if (file.size > TRANSCRIBE_MAX_BYTES) {
    throw new ApiError(413, 'payload_too_large', 'The audio is larger than 25 MiB.');
  }
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  if (!TYPES.has(type)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `file: "${type || 'no type'}" is not an accepted audio type (WAV, MP3, M4A/MP4, OGG/Opus, WebM, FLAC).`
    );
  }
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  if (!sniffAudio(head)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'file: the content is not audio of an accepted format.'
    );
  }
  return { file, fields: parsed.output };
}

function upstreamRequest(
  config: TranscriptionConfig,
  file: File,
  bytes: Uint8Array,
  fields: TranscribeFields
): Request {
  const form = new FormData();
  form.append('file', new File([bytes], file.name || 'audio', { type: file.type }));
  form.append('model', config.model);
  form.append('response_format', config.responseFormat);
  if (config.responseFormat === 'verbose_json') form.append('timestamp_granularities[]', 'segment');
  if (fields.language) form.append('language', fields.language);
  if (fields.prompt) form.append('prompt', fields.prompt);
  return new Request(`${config.baseURL}/v1/audio/transcriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.apiKey}` },
    body: form
  });
}

export default transcribe;
