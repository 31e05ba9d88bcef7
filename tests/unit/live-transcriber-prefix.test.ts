import { describe, expect, it } from 'vitest';
import { timestampToken } from '$lib/asr/forced-prefix';
import { LiveTranscriber, type LiveEngine, type LiveOptions } from '$lib/asr/live-transcriber';
import { feedLive } from './helpers/app-live-feed';

interface Call {
  final: boolean;
  forced?: number[];
  /** The engine's own tokens for this audio. */
  own: number[];
}

/**
 * A fake Whisper that hears a word per 0.5 s run of one non-zero value (value k/1000 is word k,
 * token k), one segment per word: <|start|> k <|end|>. It returns tokens when asked, and records
 * what it was told to start from, to compare with what it hears itself.
 */
function tokenEngine(calls: Call[]): LiveEngine {
  return {
    decode(audio, { final, forced, tokens }) {
      const own: number[] = [];
      const segments: { start: number; end: number; text: string }[] = [];
      let runStart = 0;
      for (let i = 1; i <= audio.length; i++) {
        if (i < audio.length && audio[i] === audio[runStart]) continue;
        const value = Math.round(audio[runStart]! * 1000);
        if (value > 0 && i - runStart >= 4000) {
          const [start, end] = [runStart / 16_000, i / 16_000];
          own.push(timestampToken(start), value, timestampToken(end));
          segments.push({ start, end, text: `w${value}` });
        }
        runStart = i;
      }
      calls.push({ final, forced, own });
      const text = segments.map((s) => s.text).join(' ');
      return Promise.resolve({
        text,
        segments,
        language: 'en',
        modelId: 'fake',
        ...(final || tokens ? { tokens: own } : {})
      });
    }
  };
}

function speech(first: number, count: number): Float32Array {
  const out = new Float32Array(count * 8000);
  for (let k = 0; k < count; k++) out.fill((first + k) / 1000, k * 8000, (k + 1) * 8000);
  return out;
}

/** Feeds `parts` as live speech (forced prefixes on unless `options` says otherwise). */
async function run(parts: Float32Array[], options: Partial<LiveOptions> = { forcePrefix: true }) {
  const calls: Call[] = [];
  const live = new LiveTranscriber(tokenEngine(calls), {}, { partialEveryMs: 1000, ...options });
  await feedLive(live, parts);
  return { finals: await live.finish(), calls };
}

const isPrefix = (prefix: number[], of: number[]) => prefix.every((t, i) => of[i] === t);

describe('LiveTranscriber forced prefixes', () => {
  it('starts a final from what the last two partials agree on', async () => {
    const { finals, calls } = await run([
      new Float32Array(16_000),
      speech(1, 8),
      new Float32Array(32_000)
    ]);
    expect(finals.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6 w7 w8']);
    const final = calls.find((c) => c.final)!;
    expect(final.forced?.length).toBeGreaterThan(3);
    // Every forced token (timestamps included) is what the decoder itself reads from that audio.
    expect(isPrefix(final.forced!, final.own)).toBe(true);
    expect(final.forced!.length).toBeLessThan(final.own.length);
  });

  it('starts a merged final from the previous final and places the new partials after it', async () => {
    const pause = new Float32Array(16_000 * 1.5);
    const { finals, calls } = await run([pause, speech(1, 6), pause, speech(7, 6), pause]);
    expect(finals.map((f) => f.text)).toEqual(['w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12']);
    const [first, second] = calls.filter((c) => c.final);
    expect(first!.forced?.length).toBeGreaterThan(0);
    // The second final holds all of the first (its 6 words) and more, at the joined positions.
    expect(second!.forced!.filter((t) => t > 0).length).toBeGreaterThan(6);
    expect(isPrefix(second!.forced!, second!.own)).toBe(true);
  });

  it('forces nothing when switched off', async () => {
    const { calls } = await run(
      [new Float32Array(16_000), speech(1, 8), new Float32Array(32_000)],
      {
        forcePrefix: false
      }
    );
    expect(calls.every((c) => c.forced === undefined)).toBe(true);
  });

  it('is off by default: the app decodes every final from scratch', async () => {
    const { calls } = await run(
      [new Float32Array(16_000), speech(1, 8), new Float32Array(32_000)],
      {}
    );
    expect(calls.some((c) => c.final)).toBe(true);
    expect(calls.every((c) => c.forced === undefined)).toBe(true);
  });
});
