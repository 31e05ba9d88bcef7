/**
 * `npm run bench:asr`: speed of on-device transcription with Whisper tiny.
 *  - real-time factor (processing time / audio time) of transcribing the eval clips, each whole,
 *    through the app's ASR handler: Node (onnxruntime-node), Chromium wasm single-threaded (page
 *    not cross-origin isolated) and multi-threaded (isolated); ratios browser/native;
 *  - end of speech → final text, and first speech → first partial text, for 5, 10 and 15 s
 *    utterances streamed in real time through the app's VAD and ASR workers (Chromium, the
 *    faster thread setting), p50 and p95.
 * Prints a table, then ONE JSON line. Options: --quick (fewer clips), --no-latency, --trace (each
 * streamed utterance's decodes on a timeline), --latency-only (skip the real-time-factor runs).
 * Figures depend on the machine's load: run on a quiet machine to compare.
 */
import { probabilities } from '../../app/lib/vad/silero';
import { segmentTrace } from '../../app/lib/vad/segmenter';
import { buildHarness, openHarness } from './chromium';
import { handlerEngine } from './eval-core';
import { clipSamples, loadClips, nodePipeline, nodeSilero } from './node-runtime';

const MODEL = 'Xenova/whisper-tiny';
const args = process.argv.slice(2);
const quick = args.includes('--quick');
// Latency only (multi-threaded, no real-time-factor runs): for iterating on the streaming path.
const latencyOnly = args.includes('--latency-only');
const clips = loadClips().filter((c, i) => !quick || i % 4 === 0);
const audioSeconds = clips.reduce((n, c) => n + c.seconds, 0);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

// Utterances for latency: single clips near 5 and 10 s; 15 s ones partly joined from two clips.
const UTTERANCES: Record<string, string[][]> = {
  '5s': [
    ['ls-1089-134691-0001'],
    ['ls-61-70968-0000'],
    ['lj-LJ001-0004'],
    ['ls-1221-135766-0002'],
    ['lv-sense-sensibility-0890']
  ],
  '10s': [
    ['ls-1089-134686-0000'],
    ['lj-LJ001-0001'],
    ['lj-LJ001-0003'],
    ['jfk-inaugural-1961'],
    ['ls-2412-153948-0000']
  ],
  '15s': [
    ['ls-1221-135766-0001'],
    ['ls-1272-141231-0002'],
    ['lj-LJ001-0003', 'lj-LJ001-0004'],
    ['ls-1995-1837-0001', 'ls-1089-134691-0001']
  ]
};

const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

console.error(`bench:asr — ${clips.length} clips, ${round(audioSeconds, 1)} s of audio, ${MODEL}`);

// Node, onnxruntime-node.
// The app's own path: the length-variable encoder, as in the browser.
// Every core (onnxruntime-node's default), and one thread: the like-for-like reference for
// Chromium's single-threaded wasm.
async function nodeRtfWith(threads?: number): Promise<number> {
  if (latencyOnly) return 0;
  const engine = handlerEngine(await nodePipeline(MODEL, { appModels: true, threads }), MODEL);
  await engine.loaded;
  let ms = 0;
  for (const clip of clips) ms += (await engine.transcribe(clipSamples(clip))).elapsedMs;
  return ms / 1000 / audioSeconds;
}
const nodeRtf = await nodeRtfWith();
const nodeRtfOneThread = await nodeRtfWith(1);
console.error(`  node: RTF ${round(nodeRtf)} (one thread: ${round(nodeRtfOneThread)})`);

await buildHarness();
const browser: Record<
  string,
  { rtf: number; threads: number; loadMs: number; variableEncoder: boolean }
> = {};
for (const [name, isolated] of latencyOnly
  ? []
  : ([
      ['single', false],
      ['multi', true]
    ] as const)) {
  const harness = await openHarness(isolated);
  try {
    // Multi-threaded: every core (the app itself leaves one free by default).
    const info = await harness.page.evaluate(
      ([id, all]) => window.harness.load(id, all ? navigator.hardwareConcurrency : undefined),
      [MODEL, isolated] as const
    );
    const times = await harness.page.evaluate(
      (c) => window.harness.rtf(c),
      clips.map((c) => ({ id: c.id, file: c.file }))
    );
    const ms = times.reduce((n, t) => n + t.ms, 0);
    browser[name] = {
      rtf: ms / 1000 / audioSeconds,
      threads: info.threads,
      loadMs: Math.round(info.loadMs),
      variableEncoder: info.variableEncoder
    };
    console.error(
      `  chromium ${name}: ${info.threads} thread(s), ${info.variableEncoder ? 'variable' : 'fixed 30 s'} encoder window, RTF ${round(browser[name].rtf)}`
    );
  } finally {
    await harness.close();
  }
}
const best =
  latencyOnly || browser.multi!.rtf <= browser.single!.rtf ? 'multi' : ('single' as const);

const latency: Record<
  string,
  {
    finalP50: number;
    finalP95: number;
    firstPartialP50: number | null;
    firstPartialP95: number | null;
    n: number;
  }
> = {};
let cancel: { fullMs: number; cancelledAfter150MsMs: number; outcome: string } | null = null;
if (!args.includes('--no-latency')) {
  const vad = await nodeSilero();
  const byId = new Map(loadClips().map((c) => [c.id, c]));
  const harness = await openHarness(best === 'multi');
  try {
    await harness.page.evaluate(
      ([id, all]) => window.harness.load(id, all ? navigator.hardwareConcurrency : undefined),
      [MODEL, best === 'multi'] as const
    );
    const probe = await harness.page.evaluate(([file]) => window.harness.cancelProbe(file, 150), [
      byId.get('jfk-inaugural-1961')!.file
    ] as const);
    cancel = {
      fullMs: Math.round(probe.fullMs),
      cancelledAfter150MsMs: Math.round(probe.cancelledMs),
      outcome: probe.code
    };
    console.error(
      `  cancel: a full decode of the 11 s JFK clip ${cancel.fullMs} ms; cancelled 150 ms in, it answered after ${cancel.cancelledAfter150MsMs} ms (${probe.code})`
    );
    for (const [bucket, items] of Object.entries(UTTERANCES)) {
      const finals: number[] = [];
      const partials: number[] = [];
      for (const ids of items) {
        const parts = ids.map((id) => byId.get(id)!);
        const joined = parts.map(clipSamples);
        const samples = new Float32Array(joined.reduce((n, p) => n + p.length, 0));
        joined.reduce((at, p) => (samples.set(p, at), at + p.length), 0);
        vad.reset();
        const segments = segmentTrace(await probabilities(vad, samples));
        const speechStart = segments[0]?.speechStart ?? 0;
        const speechEnd = segments.at(-1)?.speechEnd ?? samples.length;
        const r = await harness.page.evaluate(
          ([files, end, start]) => window.harness.stream(files, end, start),
          [parts.map((p) => p.file), speechEnd, speechStart] as const
        );
        finals.push(r.finalLatencyMs);
        if (r.firstPartialMs !== null) partials.push(r.firstPartialMs);
        console.error(
          `  ${bucket} ${ids.join('+')}: final +${Math.round(r.finalLatencyMs)} ms, first partial ${r.firstPartialMs === null ? 'none' : `${Math.round(r.firstPartialMs)} ms`}`
        );
        if (args.includes('--trace'))
          console.error(
            `    speech ends at ${r.speechEndMs} ms; decodes: ${r.trace.map((d) => `${d.kind} ${d.seconds}s ${d.start}→${d.end}`).join(', ')}`
          );
      }
      latency[bucket] = {
        finalP50: Math.round(percentile(finals, 50)),
        finalP95: Math.round(percentile(finals, 95)),
        firstPartialP50: partials.length ? Math.round(percentile(partials, 50)) : null,
        firstPartialP95: partials.length ? Math.round(percentile(partials, 95)) : null,
        n: finals.length
      };
    }
  } finally {
    await harness.close();
  }
}

if (latencyOnly) {
  console.log(JSON.stringify({ model: MODEL, latencyOnly: true, latencyMs: latency, cancel }));
  process.exit(0);
}

const figures = {
  model: MODEL,
  clips: clips.length,
  audioSeconds: round(audioSeconds, 1),
  rtf: {
    node: round(nodeRtf),
    nodeOneThread: round(nodeRtfOneThread),
    chromiumSingle: round(browser.single!.rtf),
    chromiumMulti: round(browser.multi!.rtf)
  },
  threads: { chromiumMulti: browser.multi!.threads },
  encoderWindow: browser.multi!.variableEncoder ? 'sized to the audio (15-30 s)' : 'fixed 30 s',
  // Against native on every core (as before), and thread for thread: 1 vs 1, multi vs every core.
  ratioBrowserToNative: {
    single: round(browser.single!.rtf / nodeRtf, 2),
    multi: round(browser.multi!.rtf / nodeRtf, 2),
    singleVsOneThread: round(browser.single!.rtf / nodeRtfOneThread, 2)
  },
  chosenForThisDevice: best,
  latencyMs: latency,
  cancel,
  load: Object.fromEntries(Object.entries(browser).map(([k, v]) => [k, v.loadMs]))
};
console.log(`
Real-time factor (lower is faster; ${figures.clips} clips, ${figures.audioSeconds} s; encoder window ${figures.encoderWindow})
  Node onnxruntime-node          ${figures.rtf.node}   (1 thread: ${figures.rtf.nodeOneThread})
  Chromium wasm, 1 thread        ${figures.rtf.chromiumSingle}   (×${figures.ratioBrowserToNative.single} native; ×${figures.ratioBrowserToNative.singleVsOneThread} native on 1 thread)
  Chromium wasm, ${figures.threads.chromiumMulti} threads       ${figures.rtf.chromiumMulti}   (×${figures.ratioBrowserToNative.multi} native)
Latency in Chromium (${best}-threaded), ms: end of speech → final / first speech → first partial`);
for (const [k, v] of Object.entries(latency))
  console.log(
    `  ${k.padEnd(4)} final p50 ${v.finalP50}  p95 ${v.finalP95}   first partial p50 ${v.firstPartialP50}  p95 ${v.firstPartialP95}  (n=${v.n})`
  );
console.log(JSON.stringify(figures));
