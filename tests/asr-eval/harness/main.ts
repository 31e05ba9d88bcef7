/**
 * Chromium harness for eval:asr and bench:asr. It runs the app's own workers (asr.worker.ts,
 * vad.worker.ts) through the app's clients, exactly as the app does, plus a worker with the plain
 * pipeline; the Node driver (tests/asr-eval/chromium.ts) calls `window.harness` through Playwright.
 */
import { AsrClient } from '../../../app/lib/asr/asr-client';
import { LiveTranscriber, type LiveEngine } from '../../../app/lib/asr/live-transcriber';
import { decodeWav } from '../../../app/lib/audio/wav';
import { VadClient } from '../../../app/lib/vad/vad-client';
import {
  evaluateClip,
  type ClipResult,
  type EvalClip,
  type EvalOptions,
  type EvalRuntime
} from '../eval-core';

const asr = new AsrClient(
  () =>
    new Worker(new URL('../../../app/lib/asr/asr.worker.ts', import.meta.url), {
      type: 'module',
      name: 'asr'
    })
);
const vad = new VadClient(
  () =>
    new Worker(new URL('../../../app/lib/vad/vad.worker.ts', import.meta.url), {
      type: 'module',
      name: 'vad'
    })
);
const plainWorker = new Worker(new URL('./plain.worker.ts', import.meta.url), {
  type: 'module',
  name: 'plain'
});
let plainId = 1;
const plainPending = new Map<number, (r: { text?: string; error?: string }) => void>();
plainWorker.onmessage = (e: MessageEvent<{ id: number; text?: string; error?: string }>) =>
  plainPending.get(e.data.id)?.(e.data);

async function clip(file: string): Promise<Float32Array> {
  const response = await fetch(`/clips/${file}`);
  return decodeWav(await response.arrayBuffer()).samples;
}

/** Decodes as they ran (ms since the stream started), for bench:asr --trace. */
let trace: { kind: string; seconds: number; start: number; end: number }[] = [];
let traceOrigin = 0;

const engine: LiveEngine = {
  decode: async (audio, { final, signal, tokens, forced }) => {
    const start = performance.now() - traceOrigin;
    const result = await asr
      .transcribe(audio, 'english', { timestamps: final || !!tokens, forced, signal })
      .finally(() => {
        if (signal?.aborted)
          trace.push({
            kind: `${final ? 'final' : 'partial'} (cancelled)`,
            seconds: Math.round(audio.length / 1600) / 10,
            start: Math.round(start),
            end: Math.round(performance.now() - traceOrigin)
          });
      });
    if (signal?.aborted) return result.transcript;
    trace.push({
      kind:
        (final ? 'final' : 'partial') + (forced?.length ? ` (${forced.length} tokens forced)` : ''),
      seconds: Math.round(audio.length / 1600) / 10,
      start: Math.round(start),
      end: Math.round(performance.now() - traceOrigin)
    });
    return result.transcript;
  }
};

/** Loads the model (with warm-up) and the VAD; reports the threads and load time. */
async function load(modelId: string, threads?: number) {
  const loaded = await asr.load(modelId, { device: 'wasm', threads });
  await vad.load();
  return {
    threads: loaded.threads ?? 1,
    loadMs: loaded.loadMs,
    isolated: crossOriginIsolated,
    variableEncoder: loaded.variableEncoder === true
  };
}

/** WER of both paths over clips. */
async function evaluate(
  modelId: string,
  clips: (EvalClip & { file: string })[],
  plain: boolean,
  options: EvalOptions = { live: true, forcePrefix: false }
) {
  const runtime: EvalRuntime = {
    engine,
    probabilities: (samples) => vad.trace(samples),
    plain: (samples) =>
      plain
        ? new Promise((resolve, reject) => {
            const id = plainId++;
            plainPending.set(id, (r) =>
              r.error ? reject(new Error(r.error)) : resolve(r.text ?? '')
            );
            plainWorker.postMessage({ id, modelId, samples });
          })
        : Promise.resolve('')
  };
  const results: ClipResult[] = [];
  for (const c of clips) results.push(await evaluateClip(c, await clip(c.file), runtime, options));
  return results;
}

/** Whole-clip transcription time through the app's worker (real-time factor). */
async function rtf(clips: { id: string; file: string }[]) {
  const out: { id: string; seconds: number; ms: number }[] = [];
  for (const c of clips) {
    const samples = await clip(c.file);
    const t = performance.now();
    await asr.transcribe(samples, 'english');
    out.push({ id: c.id, seconds: samples.length / 16_000, ms: performance.now() - t });
  }
  return out;
}

/**
 * Streams a clip in real time (100 ms chunks on the wall clock) through the VAD worker and the
 * live transcriber, as the microphone would; measures end of speech → final text and first
 * speech → first partial.
 */
async function stream(files: string[], speechEnd: number, speechStart: number) {
  const parts = await Promise.all(files.map(clip));
  const lead = 8000;
  const tail = 16_000 * 2;
  const total = lead + parts.reduce((n, p) => n + p.length, 0) + tail;
  const audio = new Float32Array(total);
  let at = lead;
  for (const p of parts) {
    audio.set(p, at);
    at += p.length;
  }
  await vad.reset();
  let firstPartialAt: number | null = null;
  let lastFinalAt = 0;
  const live = new LiveTranscriber(engine, {
    onPartial: (text) => {
      if (text && firstPartialAt === null) firstPartialAt = performance.now();
    },
    onFinals: () => (lastFinalAt = performance.now())
  });
  const t0 = performance.now();
  trace = [];
  traceOrigin = t0;
  let chain: Promise<void> = Promise.resolve();
  for (let i = 0; i < total; i += 1600) {
    const wait = t0 + (i / 16_000) * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const chunk = audio.slice(i, i + 1600);
    live.pushAudio(chunk);
    chain = chain.then(() => vad.audio(chunk)).then((p) => live.pushProbabilities(p));
  }
  await chain;
  await live.finish();
  const fedAt = (sample: number) => t0 + (sample / 16_000) * 1000;
  return {
    finalLatencyMs: lastFinalAt - fedAt(lead + speechEnd),
    firstPartialMs: firstPartialAt === null ? null : firstPartialAt - fedAt(lead + speechStart),
    text: live.transcript('english', '').text,
    /** Stream time of the end of speech, and the decodes. */
    speechEndMs: Math.round(fedAt(lead + speechEnd) - t0),
    trace
  };
}

/**
 * How fast a decode stops when cancelled: one full decode of the clip, then the same decode
 * cancelled `afterMs` into it; times to the answer (ms).
 */
async function cancelProbe(file: string, afterMs: number) {
  const samples = await clip(file);
  let t = performance.now();
  await asr.transcribe(samples, 'english');
  const fullMs = performance.now() - t;
  const abort = new AbortController();
  t = performance.now();
  setTimeout(() => abort.abort(), afterMs);
  const code = await asr.transcribe(samples, 'english', { signal: abort.signal }).then(
    () => 'result',
    (e: { code?: string }) => e.code ?? 'error'
  );
  return { fullMs, cancelledMs: performance.now() - t, code };
}

declare global {
  interface Window {
    harness: {
      load: typeof load;
      evaluate: typeof evaluate;
      rtf: typeof rtf;
      stream: typeof stream;
      cancelProbe: typeof cancelProbe;
    };
  }
}
window.harness = { load, evaluate, rtf, stream, cancelProbe };
document.getElementById('status')!.textContent = 'ready';
