import { describe, expect, it } from 'vitest';
import { Int8Gemv, gemvModuleBytes, gemvSupported } from '$lib/asr/int8-gemv';
import { seededRandom } from './helpers/app-signal';

/** The product in float64 from the dequantized matrix: the reference the kernel approximates. */
function reference(
  v: ArrayLike<number>,
  rows: number,
  k: number,
  scale: number,
  zero: number,
  x: Float32Array
) {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += (v[r * k + i]! - zero) * scale * x[i]!;
    out[r] = sum;
  }
  return out;
}

function maxError(a: Float32Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('Int8Gemv', () => {
  it('assembles a module this engine validates', () => {
    expect(gemvSupported()).toBe(true);
    expect(WebAssembly.validate(gemvModuleBytes(384))).toBe(true);
  });

  for (const [label, signed, rows, k] of [
    ['uint8, 51,865 × 384 (Whisper tiny)', false, 51_865, 384],
    ['int8, 10 × 512 (rows not a multiple of four)', true, 10, 512],
    ['uint8, 1 × 16', false, 1, 16]
  ] as const) {
    it(`matches the float product: ${label}`, () => {
      const random = seededRandom(rows + k);
      const v = signed
        ? Int8Array.from({ length: rows * k }, () => Math.floor(random() * 256) - 128)
        : Uint8Array.from({ length: rows * k }, () => Math.floor(random() * 256));
      const [scale, zero] = signed ? [0.02, -3] : [0.013, 131];
      // A hidden state with an outlier, as Whisper's has: the int16 step follows the largest.
      const x = Float32Array.from({ length: k }, (_, i) => (i === 7 ? 40 : (random() - 0.5) * 6));
      const gemv = new Int8Gemv(v, rows, k, scale, zero);
      const want = reference(v, rows, k, scale, zero, x);
      const got = gemv.multiply(x);
      expect(got.length).toBe(rows);
      // Rounding x to int16 steps of 40/32767 moves each term by at most half a step.
      const bound = (40 / 32767 / 2) * 128 * Math.max(scale, 0.02) * k;
      expect(maxError(got, want)).toBeLessThan(bound);
      // Typically far less than that bound: the rounding errors cancel.
      expect(maxError(got, want)).toBeLessThan(bound / 10);
      // The same again (the kernel keeps no state between calls), and into a given array.
      const into = new Float32Array(rows + 3).fill(7);
      gemv.multiply(x, into);
      expect(into.subarray(0, rows)).toEqual(got);
      expect(into[rows]).toBe(7);
    });
  }

  it('gives zeros for a zero vector, and refuses a bad shape', () => {
    const gemv = new Int8Gemv(new Uint8Array(4 * 32).fill(200), 4, 32, 0.5, 128);
    expect([...gemv.multiply(new Float32Array(32))]).toEqual([0, 0, 0, 0]);
    expect(() => new Int8Gemv(new Uint8Array(40), 2, 20, 1, 0)).toThrow(/shape/);
    expect(() => new Int8Gemv(new Uint8Array(31), 2, 16, 1, 0)).toThrow(/shape/);
  });
});
