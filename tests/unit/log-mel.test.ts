import { beforeAll, describe, expect, it } from 'vitest';
import { Fft } from '$lib/asr/fft';
import { LogMel } from '$lib/asr/log-mel';
import { speechSamples } from './helpers/app-files';
import { localTransformers } from './helpers/app-whisper';
import { seededRandom } from './helpers/app-signal';

const MODEL = 'Xenova/whisper-tiny';

function naiveDft(re: Float64Array, im: Float64Array) {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const phase = (-2 * Math.PI * k * t) / n;
      outRe[k]! += re[t]! * Math.cos(phase) - im[t]! * Math.sin(phase);
      outIm[k]! += re[t]! * Math.sin(phase) + im[t]! * Math.cos(phase);
    }
  }
  return { outRe, outIm };
}

describe('Fft', () => {
  it.each([1, 2, 5, 8, 12, 30, 49, 400])('matches a plain DFT at length %i', (n) => {
    const random = seededRandom(n);
    const re = Float64Array.from({ length: n }, () => random() * 2 - 1);
    const im = Float64Array.from({ length: n }, () => random() * 2 - 1);
    const outRe = new Float64Array(n);
    const outIm = new Float64Array(n);
    new Fft(n).transform(re, im, outRe, outIm);
    const expected = naiveDft(re, im);
    for (let k = 0; k < n; k++) {
      expect(outRe[k]).toBeCloseTo(expected.outRe[k]!, 9);
      expect(outIm[k]).toBeCloseTo(expected.outIm[k]!, 9);
    }
  });
});

interface Extractor {
  (audio: Float32Array): Promise<{ input_features: { data: Float32Array; dims: number[] } }>;
  window: Float64Array;
  config: { mel_filters: number[][] };
}

/** Largest absolute difference between our features and the extractor's (sliced to `frames`). */
async function difference(extractor: Extractor, mel: LogMel, audio: Float32Array, frames: number) {
  const ours = mel.features(audio, frames);
  const { input_features } = await extractor(audio);
  const total = input_features.dims.at(-1)!;
  let worst = 0;
  for (let m = 0; m < 80; m++) {
    for (let i = 0; i < frames; i++) {
      const d = Math.abs(ours[m * frames + i]! - input_features.data[m * total + i]!);
      if (d > worst) worst = d;
    }
  }
  return worst;
}

describe('LogMel (against Transformers.js’ Whisper feature extractor)', () => {
  let extractor: Extractor;
  let speech: Float32Array;

  beforeAll(async () => {
    const { AutoProcessor } = await localTransformers();
    const processor = (await AutoProcessor.from_pretrained(MODEL)) as unknown as {
      feature_extractor: Extractor;
    };
    extractor = processor.feature_extractor;
    speech = speechSamples('jfk-inaugural-1961');
  });

  const fresh = () => new LogMel(extractor.config.mel_filters, extractor.window);

  it.each([
    [100, 1500],
    [16_000, 1500],
    [9.5 * 16_000, 1500],
    [11 * 16_000, 2000],
    [11 * 16_000, 3000]
  ])('computes %i samples on a %i-frame window as the extractor does', async (length, frames) => {
    const audio = speech.slice(0, length);
    expect(await difference(extractor, fresh(), audio, frames)).toBeLessThan(2e-5);
  });

  it('reuses frames of a growing utterance and still matches at every step', async () => {
    const mel = fresh();
    for (let seconds = 1; seconds <= 10; seconds += 1.5) {
      const audio = speech.slice(0, Math.round(seconds * 16_000));
      expect(await difference(extractor, mel, audio, 2000)).toBeLessThan(2e-5);
    }
  });

  it('recomputes frames where new audio differs from the cached one', async () => {
    const mel = fresh();
    const first = speech.slice(0, 5 * 16_000);
    mel.features(first, 1500);
    // Same first two seconds, different after: the old frames after 2 s must not be reused.
    const changed = speech.slice(0, 5 * 16_000);
    changed.set(speech.subarray(6 * 16_000, 9 * 16_000), 2 * 16_000);
    expect(await difference(extractor, mel, changed, 1500)).toBeLessThan(2e-5);
  });
});
