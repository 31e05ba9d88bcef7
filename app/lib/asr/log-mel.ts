/**
 * Whisper's log-mel input features, computed the way Transformers.js' WhisperFeatureExtractor
 * does (centred 400-sample Hann frames every 160 samples, reflect-padded at the start, zeros after
 * the audio, power spectrum, mel filters, log10, clamp to 8 below the maximum, (x + 4) / 4), with
 * two differences that only save time: frames are computed for the encoder window only (the
 * extractor always computes 30 s), and frames a recent call already computed over the same
 * samples are reused. Live transcription decodes a growing utterance every second, and the final
 * decodes it once more: each call then computes about a second of new frames instead of all of
 * them (the extractor took ~120 ms per call in Node, most of a partial's fixed cost).
 */
import { Fft } from './fft';

const N_FFT = 400;
const HOP = 160;
const HALF = N_FFT / 2;
const BINS = N_FFT / 2 + 1;
/** log10 of the extractor's mel floor (1e-10): the value of a frame of zeros. */
const SILENT = -10;

interface Entry {
  audio: Float32Array;
  /** Unnormalised log10 mel frames, frame-major (`mels` values per frame). */
  frames: Float32Array;
  count: number;
}

/** Computes and caches log-mel frames for one model's feature-extractor settings. */
export class LogMel {
  private readonly fft = new Fft(N_FFT);
  private readonly inRe = new Float64Array(N_FFT);
  private readonly inIm = new Float64Array(N_FFT);
  private readonly outRe = new Float64Array(N_FFT);
  private readonly outIm = new Float64Array(N_FFT);
  private readonly power = new Float32Array(BINS);
  private readonly filters: { from: number; weights: Float32Array }[];
  private readonly entries: Entry[] = [];

  /**
   * `melFilters`: the extractor's filter bank ([mels][201]); `window`: its 400-point Hann window.
   * `keep`: how many recent audio buffers to remember frames of.
   */
  constructor(
    melFilters: ArrayLike<ArrayLike<number>>,
    private readonly window: ArrayLike<number>,
    private readonly keep = 3
  ) {
    if (window.length !== N_FFT) throw new Error(`Expected a ${N_FFT}-point window.`);
    // Filters are triangles: keep only their non-zero span.
    this.filters = Array.from(melFilters, (row) => {
      let from = 0;
      let to = row.length;
      while (from < to && row[from] === 0) from++;
      while (to > from && row[to - 1] === 0) to--;
      return { from, weights: Float32Array.from(Array.prototype.slice.call(row, from, to)) };
    });
  }

  /** Number of mel bands. */
  get mels(): number {
    return this.filters.length;
  }

  /**
   * Normalised features of `audio` (16 kHz, zero-padded or cut to `frames` hops), mel-major
   * ([mels][frames]), as the extractor's output sliced to `frames`.
   */
  features(audio: Float32Array, frames: number): Float32Array {
    const samples = audio.length > frames * HOP ? audio.subarray(0, frames * HOP) : audio;
    const entry = this.framesOf(samples, frames);
    const mels = this.mels;
    let max = entry.count < frames ? SILENT : -Infinity;
    for (let i = 0; i < entry.count * mels; i++) if (entry.frames[i]! > max) max = entry.frames[i]!;
    const floor = max - 8;
    const out = new Float32Array(mels * frames);
    const silent = (Math.max(SILENT, floor) + 4) / 4;
    for (let m = 0; m < mels; m++) {
      const row = m * frames;
      for (let i = 0; i < entry.count; i++) {
        out[row + i] = (Math.max(entry.frames[i * mels + m]!, floor) + 4) / 4;
      }
      out.fill(silent, row + entry.count, row + frames);
    }
    return out;
  }

  /** The raw frames of `audio` that touch a sample (later ones are all zeros), reusing a cache entry. */
  private framesOf(audio: Float32Array, limit: number): Entry {
    const mels = this.mels;
    // Frame i covers samples [i·HOP − HALF, i·HOP + HALF): after the audio's end it is all zeros.
    const count = Math.min(limit, Math.ceil((audio.length + HALF) / HOP));
    let best: Entry | null = null;
    let reuse = 0;
    for (const e of this.entries) {
      const same = commonPrefix(e.audio, audio);
      // A frame is the same when every sample it covers is (the start's reflection included).
      const usable = same > HALF ? Math.min(e.count, Math.floor((same - HALF) / HOP) + 1) : 0;
      if (usable > reuse) [best, reuse] = [e, usable];
    }
    reuse = Math.min(reuse, count);
    const frames = new Float32Array(Math.max(count, 1) * mels);
    if (best) frames.set(best.frames.subarray(0, reuse * mels));
    for (let i = reuse; i < count; i++) this.frame(audio, i, frames, i * mels);
    const entry = { audio, frames, count };
    if (best) this.entries.splice(this.entries.indexOf(best), 1);
    this.entries.push(entry);
    if (this.entries.length > this.keep) this.entries.shift();
    return entry;
  }

  private frame(audio: Float32Array, index: number, into: Float32Array, at: number): void {
    const { inRe, inIm, outRe, outIm, power, window } = this;
    const start = index * HOP - HALF;
    const last = audio.length - 1;
    for (let j = 0; j < N_FFT; j++) {
      const k = start + j;
      // Reflection at the start (numpy "reflect", the edge sample not repeated); zeros at the end,
      // where the extractor pads the audio to its length before reflecting.
      const from = k < 0 ? -k : k;
      const sample = from <= last ? audio[from]! : 0;
      inRe[j] = sample * window[j]!;
      inIm[j] = 0;
    }
    this.fft.transform(inRe, inIm, outRe, outIm);
    for (let b = 0; b < BINS; b++) power[b] = outRe[b]! ** 2 + outIm[b]! ** 2;
    for (let m = 0; m < this.filters.length; m++) {
      const { from, weights } = this.filters[m]!;
      let sum = 0;
      for (let b = 0; b < weights.length; b++) sum += weights[b]! * power[from + b]!;
      into[at + m] = Math.log10(Math.max(1e-10, Math.fround(sum)));
    }
  }
}

/** Length of the run of equal samples both buffers start with. */
function commonPrefix(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
