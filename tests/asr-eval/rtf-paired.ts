/**
 * Real-time factor of whole-clip transcription on every runtime of bench:asr, measured paired:
 * each clip is transcribed by every runtime in turn (the order rotating from clip to clip) before
 * the next clip starts, so a slow spell of this shared machine lands on all runtimes alike. Run
 * one runtime after the other instead and the ratios swing with the machine: on a 2-core VM here
 * one thread of wasm took 246–405 ms for the same encoder pass within two minutes, native 74–100
 * ms (tests/asr-eval/README.md).
 */
import { buildHarness, openHarness, type Harness } from './chromium';
import { handlerEngine } from './eval-core';
import { clipSamples, nodePipeline } from './node-runtime';

/** A runtime that transcribes one clip and says how long it took (ms). */
interface Runtime {
  name: string;
  transcribe(clip: { id: string; file: string }): Promise<number>;
  close(): Promise<void>;
}

/** What one runtime took over all clips. */
export interface RuntimeTime {
  ms: number;
  rtf: number;
  /** Chromium only: threads, model load time, whether the encoder window is length-variable. */
  threads?: number;
  loadMs?: number;
  variableEncoder?: boolean;
}

/** Times per runtime, and each clip's browser/native ratios (one thread each) for the spread. */
export interface PairedRtf {
  runtimes: Record<'node' | 'nodeOneThread' | 'chromiumSingle' | 'chromiumMulti', RuntimeTime>;
  /** Per-clip single-threaded Chromium ÷ one-thread native: quartiles. */
  clipRatioQuartiles: [number, number, number];
}

async function nodeRuntime(name: string, model: string, threads?: number): Promise<Runtime> {
  const engine = handlerEngine(await nodePipeline(model, { appModels: true, threads }), model);
  await engine.loaded;
  return {
    name,
    transcribe: async (clip) => (await engine.transcribe(clipSamples(clip))).elapsedMs,
    close: async () => {}
  };
}

async function chromiumRuntime(
  name: string,
  model: string,
  isolated: boolean,
  into: Partial<RuntimeTime>
): Promise<Runtime> {
  const harness: Harness = await openHarness(isolated);
  // Multi-threaded: every core (the app itself leaves one free by default).
  const info = await harness.page.evaluate(
    ([id, all]) => window.harness.load(id, all ? navigator.hardwareConcurrency : undefined),
    [model, isolated] as const
  );
  Object.assign(into, {
    threads: info.threads,
    loadMs: Math.round(info.loadMs),
    variableEncoder: info.variableEncoder
  });
  return {
    name,
    transcribe: async (clip) =>
      (await harness.page.evaluate((c) => window.harness.rtf(c), [clip]))[0]!.ms,
    close: () => harness.close()
  };
}

const quartiles = (values: number[]): [number, number, number] => {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]!;
  return [at(0.25), at(0.5), at(0.75)];
};

/**
 * Transcribes every clip on Node (every core, one thread) and Chromium (one thread, not isolated;
 * every core, isolated), paired clip by clip; warm-up: each runtime transcribes the first clip
 * once, untimed.
 */
export async function pairedRtf(
  model: string,
  clips: { id: string; file: string; seconds: number }[]
): Promise<PairedRtf> {
  await buildHarness();
  const single: Partial<RuntimeTime> = {};
  const multi: Partial<RuntimeTime> = {};
  const runtimes = [
    await nodeRuntime('node', model),
    await nodeRuntime('nodeOneThread', model, 1),
    await chromiumRuntime('chromiumSingle', model, false, single),
    await chromiumRuntime('chromiumMulti', model, true, multi)
  ];
  const ms: Record<string, number> = Object.fromEntries(runtimes.map((r) => [r.name, 0]));
  const clipRatios: number[] = [];
  try {
    for (const r of runtimes) await r.transcribe(clips[0]!);
    for (const [i, clip] of clips.entries()) {
      const times: Record<string, number> = {};
      for (let k = 0; k < runtimes.length; k++) {
        const r = runtimes[(i + k) % runtimes.length]!;
        // onnxruntime-node's pool threads spin a little after a run: let them settle first.
        await new Promise((resolve) => setTimeout(resolve, 50));
        times[r.name] = await r.transcribe(clip);
        ms[r.name]! += times[r.name]!;
      }
      clipRatios.push(times.chromiumSingle! / times.nodeOneThread!);
    }
  } finally {
    for (const r of runtimes) await r.close();
  }
  const audioSeconds = clips.reduce((n, c) => n + c.seconds, 0);
  const time = (name: string, extra: Partial<RuntimeTime> = {}): RuntimeTime => ({
    ms: Math.round(ms[name]!),
    rtf: ms[name]! / 1000 / audioSeconds,
    ...extra
  });
  return {
    runtimes: {
      node: time('node'),
      nodeOneThread: time('nodeOneThread'),
      chromiumSingle: time('chromiumSingle', single),
      chromiumMulti: time('chromiumMulti', multi)
    },
    clipRatioQuartiles: quartiles(clipRatios)
  };
}
