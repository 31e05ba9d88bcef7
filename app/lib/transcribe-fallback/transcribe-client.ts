/**
 * The app side of `/api/transcribe`: sends recorded audio to the worker, which forwards it to an
 * OpenAI-compatible transcription endpoint. Used when the on-device model cannot load, the device
 * is too slow, or the person chooses the server. Every request goes through {@link apiFetch}, the
 * one place where credentials (the access token, later a device token) are attached.
 */
import {
  TRANSCRIBE_MAX_BYTES,
  isApiErrorBody,
  type TranscribeFields,
  type TranscribeResponse
} from '$contract';
import { apiFetch } from '../api/api-fetch';

/** Why the server could not transcribe. `retryable`: worth queueing and trying again later. */
export class RemoteTranscribeError extends Error {
  override name = 'RemoteTranscribeError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly requestId: string | null = null
  ) {
    super(message);
  }
}

/** Credentials and transport of API calls. */
export interface ApiOptions {
  /** Stands in only when this device is not paired (the paired device's token wins). */
  accessToken?: string;
  signal?: AbortSignal;
}

const RETRYABLE = new Set([
  'network',
  'rate_limited',
  'upstream_unavailable',
  'upstream_error',
  'internal_error',
  'upstream_not_configured'
]);

/** Transcribes audio on the server. Throws {@link RemoteTranscribeError} in words. */
export async function transcribeRemote(
  audio: Blob,
  fields: TranscribeFields & { filename?: string },
  options: ApiOptions = {}
): Promise<TranscribeResponse> {
  if (audio.size > TRANSCRIBE_MAX_BYTES) {
    throw new RemoteTranscribeError(
      'payload_too_large',
      `This recording is too long to send to the server (${Math.round(audio.size / 1_048_576)} MB; the limit is 25 MB).`,
      false
    );
  }
  const form = new FormData();
  form.append('file', audio, fields.filename ?? 'audio.wav');
  if (fields.language) form.append('language', fields.language);
  if (fields.prompt) form.append('prompt', fields.prompt.slice(0, 1000));
  let response: Response;
  try {
    response = await apiFetch(
      '/api/transcribe',
      { method: 'POST', body: form, signal: options.signal },
      options.accessToken
    );
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new RemoteTranscribeError(
      'network',
      'The server could not be reached to transcribe this recording.',
      true
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isApiErrorBody(body)) {
      const { code, message, requestId } = body.error;
      throw new RemoteTranscribeError(code, message, RETRYABLE.has(code), requestId ?? null);
    }
    throw new RemoteTranscribeError(
      response.status >= 500 ? 'upstream_error' : 'invalid_response',
      `The server could not transcribe this recording (HTTP ${response.status}).`,
      response.status >= 500 || response.status === 429
    );
  }
  if (!isTranscribeResponse(body)) {
    throw new RemoteTranscribeError(
      'invalid_response',
      'The server sent an answer that is not a transcript.',
      false
    );
  }
  return body;
}

function isTranscribeResponse(value: unknown): value is TranscribeResponse {
  const v = value as Partial<TranscribeResponse> | null;
  return (
    !!v &&
    typeof v.text === 'string' &&
    Array.isArray(v.segments) &&
    v.segments.every(
      (s) => typeof s?.start === 'number' && typeof s.end === 'number' && typeof s.text === 'string'
    )
  );
}
