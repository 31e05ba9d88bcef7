import { describe, expect, it } from 'vitest';
import { resample, StreamingResampler } from '$lib/audio/resample';
import {
  argMaxAbs,
  rms,
  seededRandom,
  sine,
  toneAmplitude,
  zeroCrossings
} from './helpers/app-signal';

describe('resample: output length', () => {
  it('turns one second at 48 kHz into one second at 16 kHz', () => {
    expect(resample(new Float32Array(48_000), 48_000).length).toBe(16_000);
  });

  it('turns one second at 44.1 kHz into one second at 16 kHz', () => {
    expect(resample(new Float32Array(44_100), 44_100).length).toBe(16_000);
  });

  it('rounds lengths that do not divide evenly', () => {
    // 1000 * 16000 / 44100 = 362.81 -> 363; 1001 * 16000 / 48000 = 333.67 -> 334
    expect(resample(new Float32Array(1000), 44_100).length).toBe(363);
    expect(resample(new Float32Array(1001), 48_000).length).toBe(334);
  });

  it('returns an empty buffer for empty input', () => {
    expect(resample(new Float32Array(0), 48_000).length).toBe(0);
  });
});

describe('resample: frequency response', () => {
  for (const rate of [48_000, 44_100]) {
    it(`keeps a 440 Hz tone at 440 Hz with its amplitude (${rate} Hz input)`, () => {
      const input = sine(440, rate, rate, 0.5);
      const out = resample(input, rate);
      // Skip the edges, where the filter window reaches past the signal.
      const from = 200;
      const to = out.length - 200;
      const seconds = (to - from) / 16_000;
      // A 440 Hz sine crosses zero 880 times a second.
      expect(zeroCrossings(out, from, to) / seconds).toBeGreaterThan(875);
      expect(zeroCrossings(out, from, to) / seconds).toBeLessThan(885);
      // The 440 Hz bin dominates its neighbours.
      const at440 = toneAmplitude(out, 440, 16_000, from, to);
      expect(at440).toBeGreaterThan(10 * toneAmplitude(out, 400, 16_000, from, to));
      expect(at440).toBeGreaterThan(10 * toneAmplitude(out, 480, 16_000, from, to));
      // Amplitude within 3 %.
      expect(at440).toBeGreaterThan(0.5 * 0.97);
      expect(at440).toBeLessThan(0.5 * 1.03);
      expect(rms(out, from, to)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    });
  }

  it('attenuates a 12 kHz tone at 48 kHz input instead of aliasing it to 4 kHz', () => {
    const input = sine(12_000, 48_000, 48_000, 0.5);
    const out = resample(input, 48_000);
    const from = 200;
    const to = out.length - 200;
    expect(rms(out, from, to)).toBeLessThan(0.05 * rms(input));
    // Naive decimation would put the energy at 12000 - 16000 = -4000 Hz, i.e. a 4 kHz alias.
    expect(toneAmplitude(out, 4000, 16_000, from, to)).toBeLessThan(0.05 * 0.5);
  });

  it('attenuates a 12 kHz tone at 44.1 kHz input', () => {
    const input = sine(12_000, 44_100, 44_100, 0.5);
    const out = resample(input, 44_100);
    expect(rms(out, 200, out.length - 200)).toBeLessThan(0.05 * rms(input));
  });

  it('upsamples 8 kHz to 16 kHz keeping a 440 Hz tone', () => {
    const input = sine(440, 8000, 8000, 0.5);
    const out = resample(input, 8000);
    expect(out.length).toBe(16_000);
    const amplitude = toneAmplitude(out, 440, 16_000, 200, out.length - 200);
    expect(amplitude).toBeGreaterThan(0.5 * 0.97);
    expect(amplitude).toBeLessThan(0.5 * 1.03);
  });
});

describe('StreamingResampler', () => {
  it('rejects non-positive rates', () => {
    expect(() => new StreamingResampler(0)).toThrow(RangeError);
    expect(() => new StreamingResampler(48_000, -1)).toThrow(RangeError);
    expect(() => new StreamingResampler(Number.NaN)).toThrow(RangeError);
  });

  for (const rate of [48_000, 44_100, 22_050]) {
    it(`gives the same output in random block sizes as in one block (${rate} Hz)`, () => {
      const random = seededRandom(rate);
      const input = Float32Array.from({ length: rate * 2 }, () => random() * 2 - 1);
      const whole = new StreamingResampler(rate).process(input);

      const streaming = new StreamingResampler(rate);
      const pieces: number[] = [];
      let offset = 0;
      while (offset < input.length) {
        // Block sizes from 0 (an empty block) to ~3000, including single samples.
        const size = Math.floor(random() ** 3 * 3000);
        pieces.push(...streaming.process(input.subarray(offset, offset + size)));
        offset += size;
      }
      expect(pieces.length).toBe(whole.length);
      let maxDiff = 0;
      for (let i = 0; i < whole.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs((pieces[i] ?? Number.NaN) - (whole[i] ?? 0)));
      }
      expect(maxDiff).toBeLessThan(1e-6);
    });
  }

  it('streams one sample at a time like one block', () => {
    const input = sine(1000, 48_000, 4800);
    const whole = new StreamingResampler(48_000).process(input);
    const streaming = new StreamingResampler(48_000);
    const pieces: number[] = [];
    for (let i = 0; i < input.length; i++)
      pieces.push(...streaming.process(input.subarray(i, i + 1)));
    expect(pieces.length).toBe(whole.length);
    pieces.forEach((value, i) => expect(Math.abs(value - (whole[i] ?? 0))).toBeLessThan(1e-6));
  });

  it('agrees with the one-shot resample() where both have output', () => {
    const random = seededRandom(7);
    const input = Float32Array.from({ length: 44_100 }, () => random() - 0.5);
    const streamed = new StreamingResampler(44_100).process(input);
    const oneShot = resample(input, 44_100);
    expect(streamed.length).toBeGreaterThan(15_900);
    for (let i = 0; i < streamed.length; i++) {
      expect(Math.abs((streamed[i] ?? 0) - (oneShot[i] ?? 0))).toBeLessThan(1e-6);
    }
  });

  it('is the identity when the rates are equal', () => {
    const input = sine(440, 16_000, 1000);
    const resampler = new StreamingResampler(16_000, 16_000);
    const out = resampler.process(input);
    expect(out).not.toBe(input);
    expect(Array.from(out)).toEqual(Array.from(input));
    expect(Array.from(resample(input, 16_000, 16_000))).toEqual(Array.from(input));
  });
});

describe('resample: timing', () => {
  const impulseAt = (length: number, index: number) => {
    const x = new Float32Array(length);
    x[index] = 1;
    return x;
  };

  it('keeps an impulse at 48 kHz at the matching 16 kHz position', () => {
    expect(argMaxAbs(resample(impulseAt(4800, 3000), 48_000))).toBe(1000);
  });

  it('keeps an impulse at 44.1 kHz at the matching 16 kHz position (±1 sample)', () => {
    for (const index of [22_050, 10_000, 12_345]) {
      const expected = (index * 16_000) / 44_100;
      const peak = argMaxAbs(resample(impulseAt(44_100, index), 44_100));
      expect(Math.abs(peak - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('adds no delay at the start of a stream', () => {
    const out = new StreamingResampler(48_000).process(impulseAt(480, 0));
    expect(argMaxAbs(out)).toBe(0);
  });

  it('keeps a step edge in place when streamed in blocks', () => {
    const input = new Float32Array(9600);
    input.fill(0.5, 4800);
    const resampler = new StreamingResampler(48_000);
    const out = [
      ...resampler.process(input.subarray(0, 3333)),
      ...resampler.process(input.subarray(3333))
    ];
    // The step is at 4800 / 3 = 1600; the filtered edge crosses half height there.
    const crossing = out.findIndex((v) => v >= 0.25);
    expect(Math.abs(crossing - 1600)).toBeLessThanOrEqual(1);
  });
});
