/** Copying and downloading files with their sha256 checked before they are put in place. */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PinnedFile } from './model-manifest.js';

/** sha256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Whether `path` exists with the pinned size and hash. */
export async function matchesPin(path: string, pin: PinnedFile): Promise<boolean> {
  if (!existsSync(path) || statSync(path).size !== pin.bytes) return false;
  return (await sha256File(path)) === pin.sha256;
}

/** Raised when bytes do not match their pin: never used, always reported. */
export class PinMismatchError extends Error {
  override name = 'PinMismatchError';
}

/**
 * Streams `source` into `target` through a temporary file, hashing as it goes; only a file whose
 * size and sha256 match the pin is renamed into place.
 */
export async function writeVerified(
  source: Readable,
  target: string,
  pin: PinnedFile,
  origin: string,
  onBytes?: (done: number) => void
): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      onBytes?.(size);
      callback(null, chunk);
    }
  });
  try {
    await pipeline(source, meter, createWriteStream(temp));
    const digest = hash.digest('hex');
    if (size !== pin.bytes || digest !== pin.sha256) {
      throw new PinMismatchError(
        `${pin.path} from ${origin} does not match its pin: expected ${pin.bytes} bytes, sha256 ${pin.sha256}; got ${size} bytes, sha256 ${digest}. Refusing to use it.`
      );
    }
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Copies a local file into place if it matches its pin. */
export async function copyVerified(from: string, target: string, pin: PinnedFile): Promise<void> {
  await writeVerified(createReadStream(from), target, pin, from);
}

/** Downloads a URL into place if it matches its pin; throws on network failure. */
export async function downloadVerified(
  url: string,
  target: string,
  pin: PinnedFile,
  onBytes?: (done: number) => void
): Promise<void> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(10 * 60_000),
    redirect: 'follow'
  });
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  // The DOM and Node typings of ReadableStream differ; at run time it is Node's own stream.
  const body = response.body as unknown as import('node:stream/web').ReadableStream<Uint8Array>;
  await writeVerified(Readable.fromWeb(body), target, pin, url, onBytes);
}
