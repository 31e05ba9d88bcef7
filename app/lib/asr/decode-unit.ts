/**
 * What one Whisper decode sees: one or more sample ranges of the recording, joined with the
 * silence between them cut out (so silence never reaches Whisper, yet consecutive utterances are
 * decoded together and give each other context). Times Whisper reports in the joined audio map
 * back to recording time range by range.
 */
import type { SampleStore } from '../audio/sample-store';

/** Sample ranges [start, end) of a recording, in order. */
export type Ranges = readonly (readonly [number, number])[];

/** Samples in the ranges. */
export function rangesLength(ranges: Ranges): number {
  return ranges.reduce((n, [a, b]) => n + (b - a), 0);
}

/** Whether two unit plans are the same audio. */
export function sameRanges(a: Ranges, b: Ranges): boolean {
  return a.length === b.length && a.every(([s, e], i) => s === b[i]![0] && e === b[i]![1]);
}

/** The joined audio of the ranges. */
export function joinRanges(store: SampleStore, ranges: Ranges): Float32Array {
  const out = new Float32Array(rangesLength(ranges));
  let at = 0;
  for (const [a, b] of ranges) {
    out.set(store.slice(a, b), at);
    at += b - a;
  }
  return out;
}

/** Maps a time in the joined audio (seconds) to recording time (seconds). */
export function toRecordingTime(ranges: Ranges, seconds: number, rate = 16_000): number {
  let remaining = seconds * rate;
  for (const [a, b] of ranges) {
    if (remaining <= b - a) return (a + remaining) / rate;
    remaining -= b - a;
  }
  const last = ranges.at(-1);
  return last ? last[1] / rate : seconds;
}
