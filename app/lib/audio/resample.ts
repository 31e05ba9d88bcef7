/**
 * Streaming sample-rate conversion to the 16 kHz Whisper and Silero expect, for devices that ignore
 * the requested AudioContext rate. Windowed-sinc (Blackman) low-pass interpolation: linear
 * interpolation alone would fold 8–24 kHz energy back into the speech band.
 */
export class StreamingResampler {
  readonly ratio: number;
  private readonly taps: number;
  private readonly cutoff: number;
  private history: Float32Array;
  /** Position of the next output sample, in input samples relative to the start of `history`. */
  private position: number;

  constructor(
    readonly inputRate: number,
    readonly outputRate = 16_000,
    halfWidth = 16
  ) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError('Sample rates must be positive.');
    this.ratio = inputRate / outputRate;
    this.cutoff = Math.min(1, outputRate / inputRate) * 0.95;
    this.taps = halfWidth;
    // Leading zeros stand in for the samples before the stream began; the first output sample
    // lines up with the first input sample, so there is no added delay.
    this.history = new Float32Array(halfWidth);
    this.position = halfWidth;
  }

  /** Converts the next block of input; output length varies with the rate ratio. */
  process(input: Float32Array): Float32Array {
    if (this.inputRate === this.outputRate) return input.slice();
    const buffer = new Float32Array(this.history.length + input.length);
    buffer.set(this.history);
    buffer.set(input, this.history.length);
    const out: number[] = [];
    const last = buffer.length - this.taps;
    while (this.position < last) {
      out.push(this.interpolate(buffer, this.position));
      this.position += this.ratio;
    }
    // Keep enough tail for the next block's filter window and shift the position to match.
    const keepFrom = Math.max(0, Math.floor(this.position) - this.taps);
    this.history = buffer.slice(keepFrom);
    this.position -= keepFrom;
    return Float32Array.from(out);
  }

  private interpolate(buffer: Float32Array, at: number): number {
    const center = Math.floor(at);
    const frac = at - center;
    let sum = 0;
    let weight = 0;
    for (let k = -this.taps + 1; k <= this.taps; k++) {
      const i = center + k;
      if (i < 0 || i >= buffer.length) continue;
      const x = k - frac;
      const w = this.cutoff * sinc(this.cutoff * x) * blackman(x, this.taps);
      sum += (buffer[i] ?? 0) * w;
      weight += w;
    }
    return weight === 0 ? 0 : sum / weight;
  }
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

function blackman(x: number, halfWidth: number): number {
  const n = (x + halfWidth) / (2 * halfWidth);
  if (n < 0 || n > 1) return 0;
  return 0.42 - 0.5 * Math.cos(2 * Math.PI * n) + 0.08 * Math.cos(4 * Math.PI * n);
}

/** One-shot conversion of a whole buffer. */
export function resample(
  input: Float32Array,
  inputRate: number,
  outputRate = 16_000
): Float32Array {
  const resampler = new StreamingResampler(inputRate, outputRate);
  const body = resampler.process(input);
  // Flush: feed silence so the filter window reaches past the real end, then trim to length.
  const tail = resampler.process(new Float32Array(64 + Math.ceil(2 * resampler.ratio)));
  const expected = Math.round((input.length * outputRate) / inputRate);
  const all = new Float32Array(body.length + tail.length);
  all.set(body);
  all.set(tail, body.length);
  return all.subarray(0, expected).slice();
}
