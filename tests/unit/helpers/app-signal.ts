/** Small signal helpers for the audio tests (test-only). */

/** A sine wave of `n` samples. */
export function sine(frequency: number, rate: number, n: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: n },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate)
  );
}

/** Root mean square of `x[from, to)`. */
export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Amplitude of the `frequency` component of `x[from, to)` (single-bin DFT). */
export function toneAmplitude(
  x: Float32Array,
  frequency: number,
  rate: number,
  from = 0,
  to = x.length
): number {
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    const phase = (2 * Math.PI * frequency * i) / rate;
    re += (x[i] ?? 0) * Math.cos(phase);
    im -= (x[i] ?? 0) * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

/** Number of sign changes (negative to non-negative or back) in `x[from, to)`. */
export function zeroCrossings(x: Float32Array, from = 0, to = x.length): number {
  let count = 0;
  for (let i = from + 1; i < to; i++) {
    if ((x[i - 1] ?? 0) < 0 !== (x[i] ?? 0) < 0) count++;
  }
  return count;
}

/** Index of the sample with the largest magnitude. */
export function argMaxAbs(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i] ?? 0) > Math.abs(x[best] ?? 0)) best = i;
  return best;
}

/** A seeded pseudo-random generator (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
