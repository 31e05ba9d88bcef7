import { describe, expect, it } from 'vitest';
import { LiveTranscriber, type LiveEngine } from '$lib/asr/live-transcriber';
import type { Transcript } from '$lib/asr/types';
import { feedLive } from './helpers/app-live-feed';

/** One decode: its kind, its audio length, and how much had been recorded when it started. */
interface Call {
  final: boolean;
  seconds: number;
  recorded: number;
}

/**
 * A fake engine that "hears" a word per 0.5 s wherever the audio is non-zero (the value encodes
 * the word index), so stitching and segmentation can be checked exactly.
 */
function wordEngine(calls: Call[], recorded: () => number = () => 0): LiveEngine {
  return {
    decode(audio, { final }) {
      calls.push({ final, seconds: audio.length / 16_000, recorded: recorded() / 16_000 });
      // A word is a run of one non-zero value; it counts when at least half of it is present.
      const words: { start: number; end: number; text: string }[] = [];
      let runStart = 0;
      for (let i = 1; i <= audio.length; i++) {
        if (i < audio.length && audio[i] === audio[runStart]) continue;
        const value = audio[runStart]!;
        if (value > 0 && i - runStart >= 4000) {
          words.push({
            start: runStart / 16_000,
            end: i / 16_000,
            text: `w${Math.round(value * 1000)}`
          });
        }
        runStart = i;
      }
      const text = words.map((w) => w.text).join(' ');
      const t: Transcript = { text, segments: words, language: 'en', modelId: 'fake' };
      return Promise.resolve(t);
    }
  };
}

/** Audio of `words` half-second words (value k/1000 for word k) then `silence` seconds. */
function speech(first: number, count: number): Float32Array {
  const out = new Float32Array(count * 8000);
  for (let k = 0; k < count; k++) out.fill((first + k) / 1000, k * 8000, (k + 1) * 8000);
  return out;
}

async function run(parts: Float32Array[], options = {}) {
  const calls: Call[] = [];
  const partials: (string | null)[] = [];
  const live: LiveTranscriber = new LiveTranscriber(
    wordEngine(calls, () => live.audio.length),
    { onPartial: (p) => partials.push(p) },
    options
  );
  // Only microtasks between chunks: a decode answers at the earliest chunk it can.
  await feedLive(live, parts, () => Promise.resolve());
  const finals = await live.finish();
  return { finals, calls, partials, live };
}

describe('LiveTranscriber', () => {
  it('gives one final per utterance, never decoding the silence between them', async () => {
    const silence = new Float32Array(16_000 * 2);
    const { finals, calls } = await run([silence, speech(1, 6), silence, speech(7, 4), silence], {
      mergeMs: 0
    });
    expect(finals.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6', 'w7 w8 w9 w10']);
    expect(finals[0]!.start).toBeGreaterThan(1.5);
    // Finals cover the utterances (plus padding), not the 2 s silences.
    const finalSeconds = calls.filter((c) => c.final).reduce((n, c) => n + c.seconds, 0);
    expect(finalSeconds).toBeLessThan(3 + 2 + 2 * 1.2);
  });

  it('decodes consecutive utterances together with the silence between them cut out', async () => {
    const silence = new Float32Array(16_000 * 2);
    const long = new Float32Array(16_000 * 4);
    const { finals, calls } = await run([silence, speech(1, 6), long, speech(7, 4), silence]);
    expect(finals).toHaveLength(1);
    expect(finals[0]!.text).toBe('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10');
    // Its segments keep recording time: the second utterance starts after the 4 s gap.
    const all = finals[0]!.segments;
    expect(all[0]!.start).toBeGreaterThan(1.5);
    expect(all.at(-1)!.end).toBeGreaterThan(2 + 3 + 4 + 1.9);
    // No decode ever contained the silence: the longest is both utterances plus padding.
    expect(Math.max(...calls.map((c) => c.seconds))).toBeLessThan(5 + 2 * 0.8);
  });

  it('keeps a short pause between merged utterances instead of cutting it', async () => {
    const pause = new Float32Array(16_000 * 1.5);
    const { finals, calls } = await run([pause, speech(1, 4), pause, speech(5, 4), pause]);
    expect(finals.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6 w7 w8']);
    // One contiguous decode: both utterances and the 1.5 s pause between them.
    expect(Math.max(...calls.filter((c) => c.final).map((c) => c.seconds))).toBeGreaterThan(5.5);
  });

  it('starts the final decode when the pause begins and keeps it when the pause is the end', async () => {
    const lead = new Float32Array(16_000);
    const tail = new Float32Array(16_000 * 2);
    // Speech ends at 4 s; the segmenter confirms the end after 0.6 s of silence.
    const eager = await run([lead, speech(1, 6), tail], { partialEveryMs: 0 });
    const late = await run([lead, speech(1, 6), tail], { partialEveryMs: 0, speculative: false });
    for (const { finals } of [eager, late])
      expect(finals.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6']);
    const [spec] = eager.calls;
    expect(eager.calls).toHaveLength(1);
    expect(spec!.recorded).toBeGreaterThanOrEqual(4);
    expect(spec!.recorded).toBeLessThan(4.4);
    // Without speculation the one decode waits for the confirmed end.
    expect(late.calls).toHaveLength(1);
    expect(late.calls[0]!.recorded).toBeGreaterThanOrEqual(4.6);
    // The adopted decode stopped short of the post-roll; times still map to the recording.
    expect(spec!.seconds).toBeLessThan(late.calls[0]!.seconds);
    expect(eager.finals[0]!.segments.at(-1)!.end).toBeCloseTo(4, 1);
  });

  it('decodes again when speech resumes after a speculative start', async () => {
    const lead = new Float32Array(16_000);
    const gap = new Float32Array(16_000 * 0.4);
    const { finals, calls } = await run(
      [lead, speech(1, 4), gap, speech(5, 2), new Float32Array(16_000 * 2)],
      { partialEveryMs: 0 }
    );
    expect(finals.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6']);
    expect(calls.filter((c) => c.final).length).toBe(2);
  });

  it('shows a speculative final as the first partial when speech resumes after the first words', async () => {
    const lead = new Float32Array(16_000);
    const gap = new Float32Array(16_000 * 0.4);
    const { finals, partials, calls } = await run(
      [lead, speech(1, 2), gap, speech(3, 4), new Float32Array(16_000 * 2)],
      { partialEveryMs: 10_000 }
    );
    expect(finals.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6']);
    // No partial decode ran (the cadence is 10 s), yet the first words were shown.
    expect(calls.every((c) => c.final)).toBe(true);
    expect(partials[0]).toBe('w1 w2');
  });

  it('cancels the partial in flight when a pause begins, so the final does not wait for it', async () => {
    const aborted: boolean[] = [];
    const finals: number[] = [];
    let recorded = () => 0;
    // The first partial answers; later ones never finish on their own, only a cancellation ends them.
    const engine: LiveEngine = {
      decode(audio, { final, signal }) {
        if (final) {
          finals.push(recorded());
          return wordEngine([]).decode(audio, { final });
        }
        if (aborted.length === 0 && finals.length === 0 && !partials.includes('early'))
          return Promise.resolve({ text: 'early', segments: [], language: 'en', modelId: 'f' });
        return new Promise((resolve) =>
          signal?.addEventListener('abort', () => {
            aborted.push(true);
            resolve({ text: 'stale', segments: [], language: 'en', modelId: 'fake' });
          })
        );
      }
    };
    const partials: (string | null)[] = [];
    const live = new LiveTranscriber(
      engine,
      { onPartial: (p) => partials.push(p) },
      {
        partialEveryMs: 500
      }
    );
    recorded = () => live.audio.length / 16_000;
    const audio = [new Float32Array(16_000), speech(1, 6), new Float32Array(16_000 * 2)];
    await feedLive(live, audio);
    const result = await live.finish();
    expect(result.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6']);
    expect(aborted).toEqual([true]);
    // One final, started at the pause (speech ends at 4 s), not at the confirmed end (4.6 s).
    expect(finals).toHaveLength(1);
    expect(finals[0]).toBeLessThan(4.4);
    expect(partials).toContain('early');
    expect(partials).not.toContain('stale');
  });

  it('stitches an utterance cut at the maximum length with no duplicated or dropped word', async () => {
    const { finals } = await run([speech(1, 20), new Float32Array(16_000 * 2)], {
      segmenter: { maxSegmentMs: 4000 },
      overlapMs: 1500
    });
    expect(finals.length).toBeGreaterThan(1);
    const all = finals
      .map((f) => f.text)
      .join(' ')
      .split(' ');
    expect(all).toEqual(Array.from({ length: 20 }, (_, k) => `w${k + 1}`));
  });

  it('produces nothing from silence and never calls the decoder', async () => {
    const { finals, calls } = await run([new Float32Array(16_000 * 5)]);
    expect(finals).toEqual([]);
    expect(calls).toEqual([]);
  });
});
