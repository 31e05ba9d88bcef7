/**
 * `npm run bench:asr-wasm`: what the single-threaded browser/native ratio of `bench:asr` is made
 * of, one thread on each side.
 *  - Kernels: one Whisper tiny encoder layer's work on a 20 s window (kernel-graphs.ts) in
 *    onnxruntime-web's wasm and in onnxruntime-node. The ratio of a kernel is the floor of what
 *    any app code can reach on that part: native uses the widest SIMD the CPU has, wasm 128 bits.
 *  - The app's path on the eval clips (as bench:asr's Node row) on onnxruntime-node and on
 *    onnxruntime-web's wasm, both in Node: time in the encoder, in the decoder and outside both
 *    (audio features, generation, text). Chromium runs the same wasm (bench:asr's single row), so
 *    what it takes beyond the wasm-in-Node row is the browser's share.
 * Prints tables, then ONE JSON line. Options: --quick (one clip in four).
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { handlerEngine } from './eval-core';
import { kernelGraphs, type KernelGraph } from './kernel-graphs';
import { clipSamples, loadClips } from './node-runtime';
import { timedPipeline } from './wasm-in-node';

const MODEL = 'Xenova/whisper-tiny';
const quick = process.argv.includes('--quick');
const RUNS = 12;
const WARMUP = 3;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

type Runtime = typeof ortNode | typeof ortWeb;

/** Median milliseconds of one run of `graph`, after warm-up runs. */
async function medianMs(ort: Runtime, graph: KernelGraph, options: object): Promise<number> {
  const session = await ort.InferenceSession.create(graph.model, options);
  const feeds: Record<string, unknown> = {};
  for (const [name, dims] of Object.entries(graph.inputs)) {
    const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) =>
      Math.sin(i * 0.37)
    );
    feeds[name] = new ort.Tensor('float32', data, dims);
  }
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const started = performance.now();
    await session.run(feeds as never);
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  await session.release();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** The CPU's widest SIMD, as Linux reports it. */
function cpuSimd(): string {
  try {
    const flags = (/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(
      ' '
    );
    if (flags.includes('avx512f'))
      return flags.includes('avx512_vnni') ? 'AVX-512 (VNNI)' : 'AVX-512';
    if (flags.includes('avx2')) return flags.includes('avx_vnni') ? 'AVX2 (VNNI)' : 'AVX2';
    return 'SSE';
  } catch {
    return 'unknown';
  }
}

const simd = cpuSimd();
console.error(`bench:asr-wasm — one thread each; native SIMD ${simd}, wasm SIMD 128-bit`);
ortWeb.env.wasm.numThreads = 1;
const kernels: Record<string, { wasmMs: number; nativeMs: number; ratio: number }> = {};
const graphs = kernelGraphs();
for (const graph of graphs) {
  const wasmMs = await medianMs(ortWeb, graph, {});
  const nativeMs = await medianMs(ortNode, graph, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  kernels[graph.name] = {
    wasmMs: round(wasmMs),
    nativeMs: round(nativeMs),
    ratio: round(wasmMs / nativeMs)
  };
}

const clips = loadClips().filter((_, i) => !quick || i % 4 === 0);
const audioSeconds = clips.reduce((n, c) => n + c.seconds, 0);
const split: Record<
  string,
  {
    totalMs: number;
    encoderMs: number;
    decoderMs: number;
    decoderSteps: number;
    otherMs: number;
    rtf: number;
  }
> = {};
for (const runtime of ['native', 'wasm'] as const) {
  const { pipeline, encoder, decoder } = await timedPipeline(MODEL, runtime);
  const engine = handlerEngine(pipeline, MODEL);
  await engine.loaded;
  await engine.transcribe(clipSamples(clips[0]!)); // warm-up, not counted
  Object.assign(encoder, { ms: 0, runs: 0 });
  Object.assign(decoder, { ms: 0, runs: 0 });
  let totalMs = 0;
  for (const clip of clips) totalMs += (await engine.transcribe(clipSamples(clip))).elapsedMs;
  split[runtime] = {
    totalMs: Math.round(totalMs),
    encoderMs: Math.round(encoder.ms),
    decoderMs: Math.round(decoder.ms),
    decoderSteps: decoder.runs,
    otherMs: Math.round(totalMs - encoder.ms - decoder.ms),
    rtf: round(totalMs / 1000 / audioSeconds, 3)
  };
  console.error(`  ${runtime}: RTF ${split[runtime].rtf}`);
}

console.log(`\nKernels: one encoder layer's work on a 20 s window, median of ${RUNS} runs`);
console.log(`${'kernel'.padEnd(30)}${'wasm ms'.padStart(9)}${'native ms'.padStart(11)}  ratio`);
for (const graph of graphs) {
  const k = kernels[graph.name]!;
  console.log(
    `${graph.label.padEnd(30)}${k.wasmMs.toFixed(2).padStart(9)}${k.nativeMs.toFixed(2).padStart(11)}  ×${k.ratio}`
  );
}
const n = split.native!;
const w = split.wasm!;
const ratio = (a: number, b: number) => `×${round(a / b)}`;
console.log(
  `\nThe app's path, ${clips.length} clips, ${round(audioSeconds, 1)} s, in Node, ms (wasm ÷ native)`
);
console.log(`  whole      native ${n.totalMs}  wasm ${w.totalMs}  ${ratio(w.totalMs, n.totalMs)}`);
console.log(
  `  encoder    native ${n.encoderMs}  wasm ${w.encoderMs}  ${ratio(w.encoderMs, n.encoderMs)}`
);
console.log(
  `  decoder    native ${n.decoderMs}  wasm ${w.decoderMs}  ${ratio(w.decoderMs, n.decoderMs)} (${round(n.decoderMs / n.decoderSteps)} vs ${round(w.decoderMs / w.decoderSteps)} ms a step)`
);
console.log(`  other      native ${n.otherMs}  wasm ${w.otherMs}`);
console.log(
  JSON.stringify({
    model: MODEL,
    clips: clips.length,
    audioSeconds: round(audioSeconds, 1),
    nativeSimd: simd,
    kernels,
    path: split,
    ratioWasmToNative: round(w.totalMs / n.totalMs)
  })
);
