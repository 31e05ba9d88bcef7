/**
 * `npm run bench:asr`: speed of on-device transcription with Whisper tiny.
 *  - real-time factor (processing time / audio time) of transcribing the eval clips, each whole,
 *    through the app's ASR handler: Node (onnxruntime-node), Chromium wasm single-threaded (page
 *    not cross-origin isolated) and multi-threaded (isolated); ratios browser/native. The four
 *    runtimes take each clip in turn (rtf-paired.ts), so the ratios compare the same minutes;
 *  - end of speech → final text, and first speech → first partial text, for 5, 10 and 15 s
 *    utterances streamed in real time through the app's VAD and ASR workers (Chromium, the
 *    faster thread setting), p50 and p95.
 * Prints a table, then ONE JSON line. Options: --quick (fewer clips), --no-latency, --trace (each
 * streamed utterance's decodes on a timeline), --latency-only (skip the real-time-factor runs).
 * Figures depend on the machine's load: run on a quiet machine to compare. The latency part runs
 * after the real-time factors, on its own.
 */
import { probabilities } from '../../app/lib/vad/silero';
import { segmentTrace } from '../../app/lib/vad/segmenter';
import { buildHarness, openHarness } from './chromium';
import { clipSamples, loadClips, nodeSilero } from './node-runtime';
import { pairedRtf } from './rtf-paired';

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

// Real-time factors, measured paired clip by clip (rtf-paired.ts): Node on every core
// (onnxruntime-node's default) and on one thread (the like-for-like reference for Chromium's
// single-threaded wasm), Chromium on one thread (not isolated) and on every core (isolated).
const paired = latencyOnly ? null : await pairedRtf(MODEL, clips);
if (paired) {
  for (const [name, r] of Object.entries(paired.runtimes))
    console.error(`  ${name}: RTF ${round(r.rtf)}${r.threads ? ` (${r.threads} thread(s))` : ''}`);
} else {
  await buildHarness();
}
const browser = paired
  ? { single: paired.runtimes.chromiumSingle, multi: paired.runtimes.chromiumMulti }
  : null;
const best = !browser || browser.multi.rtf <= browser.single.rtf ? 'multi' : ('single' as const);

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

const { node, nodeOneThread } = paired!.runtimes;
const { single, multi } = browser!;
const figures = {
  model: MODEL,
  clips: clips.length,
  audioSeconds: round(audioSeconds, 1),
  measured: 'paired clip by clip',
  rtf: {
    node: round(node.rtf),
    nodeOneThread: round(nodeOneThread.rtf),
    chromiumSingle: round(single.rtf),
    chromiumMulti: round(multi.rtf)
  },
  threads: { chromiumMulti: multi.threads },
  encoderWindow: multi.variableEncoder ? 'sized to the audio (15-30 s)' : 'fixed 30 s',
  // Against native on every core (as before), and thread for thread: 1 vs 1, multi vs every core.
  ratioBrowserToNative: {
    single: round(single.rtf / node.rtf, 2),
    multi: round(multi.rtf / node.rtf, 2),
    singleVsOneThread: round(single.rtf / nodeOneThread.rtf, 2),
    singleVsOneThreadClipQuartiles: paired!.clipRatioQuartiles.map((r) => round(r, 2))
  },
  chosenForThisDevice: best,
  latencyMs: latency,
  cancel,
  load: { single: single.loadMs, multi: multi.loadMs }
};
const [q1, median, q3] = figures.ratioBrowserToNative.singleVsOneThreadClipQuartiles;
console.log(`
Real-time factor (lower is faster; ${figures.clips} clips, ${figures.audioSeconds} s, each clip on every runtime in turn; encoder window ${figures.encoderWindow})
  Node onnxruntime-node          ${figures.rtf.node}   (1 thread: ${figures.rtf.nodeOneThread})
  Chromium wasm, 1 thread        ${figures.rtf.chromiumSingle}   (×${figures.ratioBrowserToNative.single} native; ×${figures.ratioBrowserToNative.singleVsOneThread} native on 1 thread; per clip ×${q1} / ×${median} / ×${q3} quartiles)
  Chromium wasm, ${figures.threads.chromiumMulti} threads       ${figures.rtf.chromiumMulti}   (×${figures.ratioBrowserToNative.multi} native)
Latency in Chromium (${best}-threaded), ms: end of speech → final / first speech → first partial`);
for (const [k, v] of Object.entries(latency))
  console.log(
    `  ${k.padEnd(4)} final p50 ${v.finalP50}  p95 ${v.finalP95}   first partial p50 ${v.firstPartialP50}  p95 ${v.firstPartialP95}  (n=${v.n})`
  );
console.log(JSON.stringify(figures));
