import { describe, expect, it } from 'vitest';
import { SpeechSegmenter, VAD_FRAME, segmentTrace } from '$lib/vad/segmenter';
import { decodeWav } from '$lib/audio/wav';
import { sileroTrace } from './helpers/silero-node';
import { clipPath, readArrayBuffer, speechManifest } from './helpers/app-files';

/** A probability trace: [probability, frames] runs (a frame is 32 ms). */
const trace = (...runs: [number, number][]) =>
  runs.flatMap(([p, n]) => new Array<number>(n).fill(p));

describe('SpeechSegmenter on replayed traces', () => {
  it('finds one utterance with pre-roll and post-roll padding', () => {
    const segments = segmentTrace(trace([0.05, 30], [0.9, 40], [0.1, 40]));
    expect(segments).toHaveLength(1);
    const [s] = segments;
    expect(s!.speechStart).toBe(30 * VAD_FRAME);
    expect(s!.speechEnd).toBe(70 * VAD_FRAME);
    // 400 ms pre-roll = 13 frames; 300 ms post-roll = 9 frames.
    expect(s!.start).toBe(17 * VAD_FRAME);
    expect(s!.end).toBe(79 * VAD_FRAME);
    expect(s!.speechRatio).toBe(1);
    expect(s!.forced).toBe(false);
  });

  it('bridges a pause shorter than the redemption time, splits at a longer one', () => {
    // 300 ms gap (9 frames) < 600 ms: one utterance.
    expect(segmentTrace(trace([0.9, 30], [0.1, 9], [0.9, 30], [0.1, 30]))).toHaveLength(1);
    // 1 s gap (31 frames): two.
    const two = segmentTrace(trace([0.9, 30], [0.1, 31], [0.9, 30], [0.1, 30]));
    expect(two).toHaveLength(2);
    expect(two[1]!.speechStart).toBe(61 * VAD_FRAME);
  });

  it('holds speech through hysteresis values between the thresholds', () => {
    // 0.28 is below "on" (0.3) but above "off" (0.25): it neither starts nor ends speech.
    expect(segmentTrace(trace([0.28, 50]))).toHaveLength(0);
    expect(segmentTrace(trace([0.9, 10], [0.28, 60], [0.9, 10], [0.1, 30]))).toHaveLength(1);
  });

  it('drops a misfire shorter than the minimum speech', () => {
    const segmenter = new SpeechSegmenter();
    const events = trace([0.9, 5], [0.1, 30]).flatMap((p) => segmenter.push(p));
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'pause', 'misfire']);
  });

  it('never starts at silence or noise-level probabilities', () => {
    expect(segmentTrace(trace([0.02, 500], [0.2, 100], [0.29, 10]))).toEqual([]);
  });

  it('clamps the pre-roll at the start of the recording', () => {
    expect(segmentTrace(trace([0.9, 20], [0.1, 30]))[0]!.start).toBe(0);
  });

  it('closes an open utterance on flush, up to the end of the input', () => {
    const segments = segmentTrace(trace([0.1, 10], [0.9, 20]));
    expect(segments).toHaveLength(1);
    expect(segments[0]!.end).toBe(30 * VAD_FRAME);
  });

  it('cuts over-long speech at its quietest frame and continues seamlessly', () => {
    // 2 s maximum = 62.5 frames; a dip to 0.35 at frame 55 is the quietest of the last quarter.
    const probs = trace([0.95, 55], [0.35, 1], [0.95, 30], [0.05, 40]);
    const segments = segmentTrace(probs, { maxSegmentMs: 2000 });
    expect(segments).toHaveLength(2);
    expect(segments[0]!.forced).toBe(true);
    expect(segments[0]!.end).toBe(56 * VAD_FRAME);
    for (let i = 1; i < segments.length; i++) {
      if (segments[i - 1]!.forced) expect(segments[i]!.start).toBe(segments[i - 1]!.end);
    }
    expect(segments.at(-1)!.forced).toBe(false);
  });

  it('signals a pause as soon as speech drops, and a resume when it returns', () => {
    const segmenter = new SpeechSegmenter();
    const types = trace([0.9, 20], [0.1, 5], [0.9, 5], [0.1, 25]).flatMap((p) =>
      segmenter.push(p).map((e) => e.type)
    );
    expect(types).toEqual(['speech-start', 'pause', 'resume', 'pause', 'speech-end']);
  });
});

describe('SpeechSegmenter on a real Silero v5 trace', () => {
  it('segments the JFK clip at its phrase boundaries and ignores added silence', async () => {
    const clip = speechManifest().find((c) => c.id === 'jfk-inaugural-1961')!;
    const { samples } = decodeWav(readArrayBuffer(clipPath(clip)));
    const silence = new Float32Array(16_000 * 2);
    const padded = new Float32Array(silence.length * 2 + samples.length);
    padded.set(samples, silence.length);
    const probs = await sileroTrace(padded);
    const segments = segmentTrace(probs);
    expect(segments.length).toBeGreaterThanOrEqual(2);
    // Nothing in the leading or trailing 2 s of silence is speech.
    expect(segments[0]!.speechStart).toBeGreaterThanOrEqual(silence.length);
    expect(segments.at(-1)!.speechEnd).toBeLessThanOrEqual(silence.length + samples.length + 512);
    // Every segment covers speech the VAD heard, and the utterances span most of the clip.
    const covered = segments.reduce((n, s) => n + (s.speechEnd - s.speechStart), 0);
    expect(covered / samples.length).toBeGreaterThan(0.6);
    // Pure silence gives nothing at all.
    expect(segmentTrace(await sileroTrace(new Float32Array(16_000 * 3)))).toEqual([]);
  });
});
