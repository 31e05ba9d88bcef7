import type { Context } from 'hono';
import type * as v from 'valibot';
import type { AppEnv } from '../env';
import { ApiError } from './errors';

/**
 * Reads a JSON request body, refusing a wrong content type (415) and cutting off an oversize body
 * as soon as it crosses `maxBytes` (413) rather than buffering it first.
 */
export async function readJsonBody(c: Context<AppEnv>, maxBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readCapped(c.req.raw.body, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `The request body is larger than ${maxBytes} bytes.`
  );
}

async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number
): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** A 400 naming the first invalid field of a body, in words. */
export function validationError(
  issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]
): ApiError {
  const issue = issues[0];
  const where = issue.path?.map((p) => String(p.key)).join('.') || 'body';
  // valibot words a missing field as an invalid key; say what it means.
  const missing = issue.input === undefined && issue.path?.at(-1)?.type === 'object';
  const message = missing ? 'this field is required.' : issue.message;
  return new ApiError(400, 'invalid_request', `${where}: ${message}`);
}
