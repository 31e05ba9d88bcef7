/** Read-only access to the shared real test data (test-only). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '$lib/audio/wav';

export const SPEECH_DIR = '/work/shared/eval/speech';
export const JFK_WITH_LIST_CHUNK = '/work/shared/models/samples/jfk.wav';

/** One line of the speech manifest. */
export interface SpeechClip {
  id: string;
  file: string;
  text: string;
  seconds: number;
}

/** The clips listed in the shared speech manifest. */
export function speechManifest(): SpeechClip[] {
  return readFileSync(join(SPEECH_DIR, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SpeechClip);
}

/** A file's bytes as an ArrayBuffer of its own (a Node Buffer may share a pooled one). */
export function readArrayBuffer(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}

/** The absolute path of a manifest clip. */
export function clipPath(clip: SpeechClip): string {
  return join(SPEECH_DIR, clip.file);
}

/** The 16 kHz samples of the manifest clip with this id. */
export function speechSamples(id: string): Float32Array {
  const clip = speechManifest().find((c) => c.id === id);
  if (!clip) throw new Error(`No clip ${id} in the speech manifest.`);
  return decodeWav(readArrayBuffer(clipPath(clip))).samples;
}
