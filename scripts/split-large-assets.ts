/**
 * Workers Static Assets refuses files over 25 MiB. After the app build, this splits any larger file
 * in build/ (Whisper's decoder, onnxruntime's WebGPU wasm) into parts plus a `<file>.parts.json`
 * index; the worker's large-assets route streams them back as one response. Model and runtime
 * files over 1 MiB go the same way even when smaller: the index gives their exact length, which
 * plain asset responses (chunked) lack and download progress needs.
 *
 * Usage: tsx scripts/split-large-assets.ts [build]
 */
import { createHash } from 'node:crypto';
import {
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  closeSync
} from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';

/** Parts stay well under the 25 MiB limit. */
export const PART_BYTES = 20 * 1024 * 1024;
const LIMIT = 25 * 1024 * 1024;
const PROGRESS_THRESHOLD = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream'
};

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Splits one file; returns the number of parts written. */
export function splitFile(path: string, partBytes = PART_BYTES): number {
  const size = statSync(path).size;
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const parts: string[] = [];
  try {
    const buffer = Buffer.alloc(partBytes);
    for (let offset = 0, index = 0; offset < size; offset += partBytes, index++) {
      const read = readSync(fd, buffer, 0, Math.min(partBytes, size - offset), offset);
      const chunk = buffer.subarray(0, read);
      hash.update(chunk);
      const name = `${basename(path)}.part${index}`;
      writeFileSync(join(path, '..', name), chunk);
      parts.push(name);
    }
  } finally {
    closeSync(fd);
  }
  const index = {
    size,
    sha256: hash.digest('hex'),
    contentType: TYPES[extname(path)] ?? 'application/octet-stream',
    parts
  };
  writeFileSync(`${path}.parts.json`, JSON.stringify(index));
  rmSync(path);
  return parts.length;
}

function main(): void {
  const dir = resolve(process.argv[2] ?? 'build');
  const downloads = [join(dir, 'models'), join(dir, 'ort')];
  let count = 0;
  for (const file of walk(dir)) {
    const size = statSync(file).size;
    const isDownload = downloads.some((d) => file.startsWith(`${d}/`)) && size > PROGRESS_THRESHOLD;
    if (size <= LIMIT && !isDownload) continue;
    splitFile(file);
    count++;
  }
  console.log(`split-large-assets: ${count} model/runtime files indexed for streaming from ${dir}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
