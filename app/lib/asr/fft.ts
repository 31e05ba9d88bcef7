/**
 * A mixed-radix complex FFT (kissfft's recursive decimation in time with a generic butterfly), for
 * the 400-point frames of Whisper's log-mel features: 400 = 4·4·5·5 is not a power of two.
 */

/** Radix factors of n, largest-first the way kissfft picks them (4, 2, 3, 5, then odd primes). */
function factorize(n: number): number[] {
  const factors: number[] = [];
  let p = 4;
  let rest = n;
  while (rest > 1) {
    while (rest % p !== 0) {
      if (p === 4) p = 2;
      else if (p === 2) p = 3;
      else p += 2;
      if (p * p > rest) p = rest;
    }
    rest /= p;
    factors.push(p, rest);
  }
  return factors;
}

/** A forward FFT of one fixed length. */
export class Fft {
  private readonly factors: number[];
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly scratchRe: Float64Array;
  private readonly scratchIm: Float64Array;

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Bad FFT length ${n}.`);
    this.factors = factorize(n);
    this.twRe = new Float64Array(n);
    this.twIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const phase = (-2 * Math.PI * k) / n;
      this.twRe[k] = Math.cos(phase);
      this.twIm[k] = Math.sin(phase);
    }
    const largest = Math.max(1, ...this.factors.filter((_, i) => i % 2 === 0));
    this.scratchRe = new Float64Array(largest);
    this.scratchIm = new Float64Array(largest);
  }

  /** Transforms `inRe`/`inIm` (length n) into `outRe`/`outIm` (length n, not the inputs). */
  transform(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array) {
    if (this.n === 1) {
      outRe[0] = inRe[0]!;
      outIm[0] = inIm[0]!;
      return;
    }
    this.work(outRe, outIm, 0, inRe, inIm, 0, 1, 0);
  }

  private work(
    oRe: Float64Array,
    oIm: Float64Array,
    out: number,
    iRe: Float64Array,
    iIm: Float64Array,
    input: number,
    fstride: number,
    f: number
  ): void {
    const p = this.factors[f]!;
    const m = this.factors[f + 1]!;
    if (m === 1) {
      for (let j = 0; j < p; j++) {
        oRe[out + j] = iRe[input + j * fstride]!;
        oIm[out + j] = iIm[input + j * fstride]!;
      }
    } else {
      for (let j = 0; j < p; j++) {
        this.work(oRe, oIm, out + j * m, iRe, iIm, input + j * fstride, fstride * p, f + 2);
      }
    }
    this.butterfly(oRe, oIm, out, fstride, p, m);
  }

  /** kissfft's generic butterfly: twiddle and p-point DFT in one O(p²) pass per group. */
  private butterfly(
    re: Float64Array,
    im: Float64Array,
    out: number,
    fstride: number,
    p: number,
    m: number
  ): void {
    const { n, twRe, twIm, scratchRe: sRe, scratchIm: sIm } = this;
    for (let u = 0; u < m; u++) {
      for (let q1 = 0, k = u; q1 < p; q1++, k += m) {
        sRe[q1] = re[out + k]!;
        sIm[q1] = im[out + k]!;
      }
      for (let q1 = 0, k = u; q1 < p; q1++, k += m) {
        let accRe = sRe[0]!;
        let accIm = sIm[0]!;
        let tw = 0;
        for (let q = 1; q < p; q++) {
          tw += fstride * k;
          if (tw >= n) tw %= n;
          const wr = twRe[tw]!;
          const wi = twIm[tw]!;
          accRe += sRe[q]! * wr - sIm[q]! * wi;
          accIm += sRe[q]! * wi + sIm[q]! * wr;
        }
        re[out + k] = accRe;
        im[out + k] = accIm;
      }
    }
  }
}
