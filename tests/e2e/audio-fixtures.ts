/**
 * Fake-microphone inputs generated at test time from the real eval clips (never committed): a
 * clip with pauses for hands-free segmentation, and near-silence (low dither noise, as a real
 * quiet room gives). Written to .cache/e2e-audio/ (git-ignored).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeWav, encodeWav } from '../../app/lib/audio/wav';

const RATE = 16_000;
const OUT = resolve(import.meta.dirname, '../../.cache/e2e-audio');

/** The three utterances of the pauses clip, in order, with a word each must contain. */
export const PAUSED_UTTERANCES = [
  { id: 'ls-1089-134691-0000', word: /wait/i },
  { id: 'lj-LJ001-0002', word: /modern/i },
  { id: 'cmu-goforward', word: /forward/i }
];

function clip(speechDir: string, id: string): Float32Array {
  const bytes = readFileSync(join(speechDir, 'wav', `${id}.wav`));
  return decodeWav(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    .samples;
}

/** Seeded low-level noise (about -60 dBFS), so "silence" is not digital zero. */
function dither(length: number, seed = 1): Float32Array {
  const out = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = ((s / 0x7fffffff) * 2 - 1) * 0.001;
  }
  return out;
}

function join16k(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Writes the generated inputs (once) and returns their paths. */
export function e2eAudio(speechDir: string): { paused: string; silence: string; bargeIn: string } {
  mkdirSync(OUT, { recursive: true });
  const paused = join(OUT, 'three-utterances-with-pauses.wav');
  const silence = join(OUT, 'silence-20s.wav');
  if (!existsSync(paused)) {
    const gap = () => dither(Math.round(RATE * 2.5));
    const parts = [dither(RATE)];
    for (const u of PAUSED_UTTERANCES) parts.push(clip(speechDir, u.id), gap());
    parts.push(dither(RATE * 30));
    writeFileSync(paused, new Uint8Array(encodeWav(join16k(parts), RATE)));
  }
  if (!existsSync(silence))
    writeFileSync(silence, new Uint8Array(encodeWav(dither(RATE * 20, 7), RATE)));
  // A question, a long pause (the reply starts sounding in it), then speech over the reply.
  const bargeIn = join(OUT, 'question-then-barge-in.wav');
  if (!existsSync(bargeIn)) {
    const [question, ...more] = PAUSED_UTTERANCES.map((u) => clip(speechDir, u.id));
    const parts = [dither(RATE), question!, dither(RATE * 8)];
    for (const c of more) parts.push(c, dither(Math.round(RATE * 0.3)));
    parts.push(dither(RATE * 20));
    writeFileSync(bargeIn, new Uint8Array(encodeWav(join16k(parts), RATE)));
  }
  return { paused, silence, bargeIn };
}
