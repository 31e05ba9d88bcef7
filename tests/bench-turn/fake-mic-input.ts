/**
 * The benchmark's fake-microphone input, generated from the real eval clips (never committed):
 * question-length phrases (2–6 s of speech, cut at natural pauses so the voice detector hears one
 * utterance each) separated by long near-silences, long enough for the end of the turn and the
 * whole reply. Written to .cache/bench-turn/ (git-ignored) with the speech schedule beside it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeWav, encodeWav } from '../../app/lib/audio/wav';

const RATE = 16_000;
const FRAME = RATE / 50; // 20 ms
const OUT = resolve(import.meta.dirname, '../../.cache/bench-turn');

/** One spoken turn in the generated input. */
export interface ScheduledTurn {
  /** Clip id and the excerpt's bounds in it (seconds). */
  clip: string;
  fromS: number;
  toS: number;
  /** Where the speech starts and ends in the generated file (seconds). */
  speechStartS: number;
  speechEndS: number;
}

/** The generated input: the WAV path and its spoken turns in order. */
export interface FakeMicInput {
  path: string;
  turns: ScheduledTurn[];
  seconds: number;
}

/** Options of {@link fakeMicInput}. */
export interface FakeMicOptions {
  /** How many turns (excerpts are taken in clip order until there are this many). */
  turns: number;
  /** Silence after each turn's speech, in seconds. */
  gapS: number;
  /** Shortest and longest phrase of speech, in seconds. */
  minS?: number;
  maxS?: number;
}

/** Seeded low-level noise (about -60 dBFS), so silence is not digital zero. */
function dither(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = ((s / 0x7fffffff) * 2 - 1) * 0.001;
  }
  return out;
}

/**
 * Phrases of a clip: runs of loud 20 ms frames (energy within 30 dB of the clip's loudest frames)
 * merged across pauses shorter than `bridgeMs`, as [startSample, endSample).
 */
export function phrases(samples: Float32Array, bridgeMs = 350): [number, number][] {
  const energies: number[] = [];
  for (let at = 0; at + FRAME <= samples.length; at += FRAME) {
    let sum = 0;
    for (let i = at; i < at + FRAME; i++) sum += samples[i]! * samples[i]!;
    energies.push(10 * Math.log10(sum / FRAME + 1e-12));
  }
  const loud = [...energies].sort((a, b) => b - a)[Math.floor(energies.length * 0.05)] ?? 0;
  const threshold = Math.max(loud - 30, -55);
  const bridge = Math.round(bridgeMs / 20);
  const out: [number, number][] = [];
  let start = -1;
  let quiet = 0;
  energies.forEach((e, i) => {
    if (e >= threshold) {
      if (start < 0) start = i;
      quiet = 0;
    } else if (start >= 0 && ++quiet > bridge) {
      out.push([start * FRAME, (i - quiet + 1) * FRAME]);
      start = -1;
      quiet = 0;
    }
  });
  if (start >= 0) out.push([start * FRAME, (energies.length - quiet) * FRAME]);
  return out;
}

/**
 * Spans of 2–6 s (by default) of speech: phrases of that length as they are; longer phrases are
 * cut at their shorter pauses into consecutive groups no longer than `maxS`.
 */
export function questionSpans(
  samples: Float32Array,
  minS: number,
  maxS: number
): [number, number][] {
  const out: [number, number][] = [];
  const fits = ([s, e]: [number, number]) => (e - s) / RATE >= minS && (e - s) / RATE <= maxS;
  for (const [start, end] of phrases(samples)) {
    if ((end - start) / RATE <= maxS) {
      if (fits([start, end])) out.push([start, end]);
      continue;
    }
    let group: [number, number] | null = null;
    for (const [s, e] of phrases(samples.subarray(start, end), 120)) {
      const [from, to] = [start + s, start + e];
      if (group && (to - group[0]) / RATE <= maxS) group[1] = to;
      else {
        if (group && fits(group)) out.push(group);
        group = [from, to];
      }
    }
    if (group && fits(group)) out.push(group);
  }
  return out;
}

function loadClip(speechDir: string, id: string): Float32Array {
  const bytes = readFileSync(join(speechDir, 'wav', `${id}.wav`));
  const audio = decodeWav(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  );
  if (audio.sampleRate !== RATE) throw new Error(`${id}: expected 16 kHz, got ${audio.sampleRate}`);
  return audio.samples;
}

/**
 * Writes the input (once per option set) and returns its path and schedule. Each phrase is padded
 * with up to 150 ms of its clip's own audio either side (less where the next words are closer).
 */
export function fakeMicInput(speechDir: string, options: FakeMicOptions): FakeMicInput {
  const minS = options.minS ?? 2;
  const maxS = options.maxS ?? 6;
  mkdirSync(OUT, { recursive: true });
  const name = `turns-${options.turns}-gap-${options.gapS}s`;
  const path = join(OUT, `${name}.wav`);
  const schedulePath = join(OUT, `${name}.json`);
  if (existsSync(path) && existsSync(schedulePath))
    return JSON.parse(readFileSync(schedulePath, 'utf8')) as FakeMicInput;

  const manifest = readFileSync(join(speechDir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string });
  const pad = Math.round(RATE * 0.15);
  const parts: Float32Array[] = [dither(RATE * 2, 1)];
  let at = parts[0]!.length;
  const turns: ScheduledTurn[] = [];
  for (const { id } of manifest) {
    if (turns.length >= options.turns) break;
    const samples = loadClip(speechDir, id);
    const spans = questionSpans(samples, minS, maxS);
    for (const [i, [start, end]] of spans.entries()) {
      if (turns.length >= options.turns) break;
      // Padding never reaches into a neighbouring span's words.
      const before = i > 0 ? Math.floor((start - spans[i - 1]![1]) / 2) : pad;
      const after = i < spans.length - 1 ? Math.floor((spans[i + 1]![0] - end) / 2) : pad;
      const from = Math.max(0, start - Math.min(pad, before));
      const to = Math.min(samples.length, end + Math.min(pad, after));
      const gap = dither(Math.round(RATE * options.gapS), turns.length + 2);
      turns.push({
        clip: id,
        fromS: from / RATE,
        toS: to / RATE,
        speechStartS: (at + start - from) / RATE,
        speechEndS: (at + end - from) / RATE
      });
      parts.push(samples.slice(from, to), gap);
      at += to - from + gap.length;
    }
  }
  if (turns.length < options.turns)
    throw new Error(`Only ${turns.length} phrases of ${minS}–${maxS} s in ${speechDir}`);
  const all = new Float32Array(at);
  parts.reduce((offset, p) => (all.set(p, offset), offset + p.length), 0);
  writeFileSync(path, new Uint8Array(encodeWav(all, RATE)));
  const input: FakeMicInput = { path, turns, seconds: at / RATE };
  writeFileSync(schedulePath, JSON.stringify(input));
  return input;
}
