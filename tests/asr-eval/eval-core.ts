/**
 * The ASR evaluation, runtime-agnostic: the same code runs in Node (onnxruntime-node) and in
 * headless Chromium (onnxruntime-web), given a loaded Transformers.js pipeline and a Silero
 * session. (a) The product path: Silero VAD → segmenter → live transcriber (the app's own code,
 * decoding through the app's ASR handler: prompt-capable single-pass decode, overlapping windows
 * stitched). (b) The plain Transformers.js pipeline on the whole clip (chunk_length_s 30, stride 5
 * for clips over 30 s), same model, same run.
 */
import { createAsrHandler, type AsrPipeline } from '../../app/lib/asr/asr-handler';
import { LiveTranscriber, type LiveEngine } from '../../app/lib/asr/live-transcriber';
import type { AsrResponse } from '../../app/lib/asr/protocol';
import type { Transcript } from '../../app/lib/asr/types';
import { passageCheck, pooledWer, wordErrorRate, type WerCounts } from '../../app/lib/asr/wer';

/** One clip of the speech manifest with its audio. */
export interface EvalClip {
  id: string;
  text: string;
  seconds: number;
  corpus: string;
  kind: string;
}

/** An in-process ASR "worker": the app's handler around a loaded pipeline. */
export function handlerEngine(pipeline: AsrPipeline, modelId: string) {
  let id = 1;
  let last: AsrResponse | null = null;
  const handle = createAsrHandler(
    () => Promise.resolve(pipeline),
    (m) => {
      if (m.type !== 'progress') last = m;
    }
  );
  const loaded = handle({ id: id++, type: 'load', modelId, device: 'wasm', allowHub: false });
  return {
    loaded,
    /** One transcription through the handler; with its processing time. */
    async transcribe(
      audio: Float32Array,
      options: { timestamps?: boolean; prompt?: string; forced?: number[] } = {}
    ): Promise<{ transcript: Transcript; elapsedMs: number }> {
      await loaded;
      await handle({ id: id++, type: 'transcribe', audio, language: 'english', ...options });
      const r = last;
      if (r?.type !== 'result') throw new Error(r?.type === 'error' ? r.message : 'no result');
      return { transcript: r.transcript, elapsedMs: r.elapsedMs };
    }
  };
}

/** The live engine the app builds over its ASR worker, here over the in-process handler. */
export function liveEngine(engine: ReturnType<typeof handlerEngine>): LiveEngine {
  return {
    decode: async (audio, { final, tokens, forced }) =>
      (await engine.transcribe(audio, { timestamps: final || !!tokens, forced })).transcript
  };
}

/** The plain pipeline on the whole clip. */
export async function plainTranscript(
  pipeline: AsrPipeline,
  samples: Float32Array
): Promise<string> {
  const long = samples.length > 30 * 16_000;
  const out = (await pipeline(samples, {
    language: 'english',
    task: 'transcribe',
    ...(long ? { chunk_length_s: 30, stride_length_s: 5 } : {})
  })) as { text?: string };
  return (out.text ?? '').trim();
}

/** Per-clip result. */
export interface ClipResult {
  id: string;
  corpus: string;
  kind: string;
  seconds: number;
  words: number;
  product: { wer: number; counts: WerCounts; text: string; segments: number; ms: number };
  plain: { wer: number; counts: WerCounts; text: string; ms: number };
  /** The product path as live speech (partials, speculative finals; forced prefixes on request). */
  live?: LiveResult;
  passages?: { product: ReturnType<typeof passageCheck>; plain: ReturnType<typeof passageCheck> };
}

/** WER of the live product path, and for long clips its dropped/duplicated passages. */
export interface LiveResult {
  wer: number;
  counts: WerCounts;
  text: string;
  passages?: ReturnType<typeof passageCheck>;
}

function liveResult(reference: string, text: string, long: boolean): LiveResult {
  const w = wordErrorRate(reference, text);
  return {
    wer: w.wer,
    counts: w,
    text,
    ...(long ? { passages: passageCheck(reference, text) } : {})
  };
}

/** What an evaluation runs: the live path too, and finals from forced prefixes (off in the app). */
export interface EvalOptions {
  live: boolean;
  forcePrefix: boolean;
}

/** The two ways to transcribe, bound to one runtime (Node or Chromium). */
export interface EvalRuntime {
  /** The product's live engine (decodes through the app's ASR handler). */
  engine: LiveEngine;
  /** Silero probabilities of a whole clip. */
  probabilities(samples: Float32Array): Promise<Float32Array>;
  /** The plain pipeline on the whole clip. */
  plain(samples: Float32Array): Promise<string>;
}

/** The product path over a whole clip, as for an imported file: VAD, segments, stitching. */
export async function productPath(
  runtime: EvalRuntime,
  samples: Float32Array,
  forcePrefix = false
): Promise<{ text: string; segments: number }> {
  const probs = await runtime.probabilities(samples);
  const live = new LiveTranscriber(
    runtime.engine,
    {},
    { partialEveryMs: 0, speculative: false, forcePrefix }
  );
  live.pushAudio(samples);
  live.pushProbabilities(probs);
  const finals = await live.finish();
  return { text: live.transcript('english', '').text, segments: finals.length };
}

/**
 * The product path as live speech: 100 ms chunks with their VAD probabilities, partial decodes
 * every second and speculative finals at pauses (the app's defaults), each decode taken as
 * instant; with `forcePrefix`, finals start from the partials' agreed tokens (off in the app).
 */
export async function livePath(
  runtime: EvalRuntime,
  samples: Float32Array,
  forcePrefix = false
): Promise<{ text: string; segments: number }> {
  const probs = await runtime.probabilities(samples);
  const live = new LiveTranscriber(runtime.engine, {}, { forcePrefix });
  const step = 1600;
  let frames = 0;
  for (let at = 0; at < samples.length; at += step) {
    live.pushAudio(samples.subarray(at, at + step));
    const upTo = Math.min(probs.length, Math.floor(Math.min(samples.length, at + step) / 512));
    live.pushProbabilities(probs.subarray(frames, upTo));
    frames = upTo;
    await live.settled();
  }
  live.pushProbabilities(probs.subarray(frames));
  const finals = await live.finish();
  return { text: live.transcript('english', '').text, segments: finals.length };
}

/** Evaluates one clip both ways (the product path as a file, and as live speech when asked). */
export async function evaluateClip(
  clip: EvalClip,
  samples: Float32Array,
  runtime: EvalRuntime,
  options: EvalOptions = { live: false, forcePrefix: false }
): Promise<ClipResult> {
  let t = performance.now();
  const product = await productPath(runtime, samples, options.forcePrefix);
  const productMs = performance.now() - t;
  const streamed = options.live ? await livePath(runtime, samples, options.forcePrefix) : null;
  t = performance.now();
  const plain = await runtime.plain(samples);
  const plainMs = performance.now() - t;
  const p = wordErrorRate(clip.text, product.text);
  const q = wordErrorRate(clip.text, plain);
  return {
    id: clip.id,
    corpus: clip.corpus,
    kind: clip.kind,
    seconds: clip.seconds,
    words: p.words,
    product: {
      wer: p.wer,
      counts: p,
      text: product.text,
      segments: product.segments,
      ms: productMs
    },
    plain: { wer: q.wer, counts: q, text: plain, ms: plainMs },
    ...(streamed ? { live: liveResult(clip.text, streamed.text, clip.kind === 'long') } : {}),
    ...(clip.kind === 'long'
      ? {
          passages: {
            product: passageCheck(clip.text, product.text),
            plain: passageCheck(clip.text, plain)
          }
        }
      : {})
  };
}

/** Figures over a set of clip results: overall and per corpus, pooled WER in percent. */
export function summarize(results: ClipResult[]) {
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const corpora = [...new Set(results.map((r) => r.corpus))];
  const lived = results.filter((r) => r.live);
  return {
    clips: results.length,
    audioSeconds: Math.round(results.reduce((n, r) => n + r.seconds, 0) * 10) / 10,
    productWer: pct(pooledWer(results.map((r) => r.product.counts))),
    plainWer: pct(pooledWer(results.map((r) => r.plain.counts))),
    ...(lived.length ? { liveWer: pct(pooledWer(lived.map((r) => r.live!.counts))) } : {}),
    perCorpus: Object.fromEntries(
      corpora.map((c) => {
        const rs = results.filter((r) => r.corpus === c);
        return [
          c,
          {
            clips: rs.length,
            productWer: pct(pooledWer(rs.map((r) => r.product.counts))),
            plainWer: pct(pooledWer(rs.map((r) => r.plain.counts))),
            ...(rs.every((r) => r.live)
              ? { liveWer: pct(pooledWer(rs.map((r) => r.live!.counts))) }
              : {})
          }
        ];
      })
    ),
    longClips: results
      .filter((r) => r.passages)
      .map((r) => ({
        id: r.id,
        productWer: pct(r.product.wer),
        plainWer: pct(r.plain.wer),
        ...r.passages,
        ...(r.live ? { liveWer: pct(r.live.wer), live: r.live.passages } : {})
      }))
  };
}

/** A readable table of per-clip and per-corpus figures. */
export function table(results: ClipResult[], title: string): string {
  const s = summarize(results);
  const pad = (x: string | number, n: number) => String(x).padEnd(n);
  const lines = [
    `${title}`,
    `${pad('clip', 34)}${pad('sec', 7)}${pad('words', 6)}${pad('product%', 9)}${pad('live%', 7)}${pad('plain%', 8)}segs`
  ];
  for (const r of results) {
    lines.push(
      `${pad(r.id, 34)}${pad(r.seconds.toFixed(1), 7)}${pad(r.words, 6)}${pad((r.product.wer * 100).toFixed(1), 9)}${pad(r.live ? (r.live.wer * 100).toFixed(1) : '-', 7)}${pad((r.plain.wer * 100).toFixed(1), 8)}${r.product.segments}`
    );
  }
  lines.push('per corpus (pooled WER %):');
  for (const [c, v] of Object.entries(s.perCorpus))
    lines.push(
      `  ${pad(c.slice(0, 60), 62)} product ${v.productWer}  live ${v.liveWer ?? '-'}  plain ${v.plainWer}  (${v.clips} clips)`
    );
  lines.push(
    `overall: product ${s.productWer} % (as a file), ${s.liveWer === undefined ? '' : `live ${s.liveWer} %, `}plain ${s.plainWer} % over ${s.clips} clips (${s.audioSeconds} s)`
  );
  for (const l of s.longClips)
    lines.push(
      `long clip ${l.id}: product ${l.productWer} % (longest dropped run ${l.product?.longestDeletionRun}, inserted run ${l.product?.longestInsertionRun}, duplicated 4-grams ${l.product?.duplicatedNgrams.length}); plain ${l.plainWer} % (dropped ${l.plain?.longestDeletionRun}, inserted ${l.plain?.longestInsertionRun}, dup ${l.plain?.duplicatedNgrams.length})${l.live ? `; live ${l.liveWer} % (dropped ${l.live.longestDeletionRun}, inserted ${l.live.longestInsertionRun}, dup ${l.live.duplicatedNgrams.length})` : ''}`
    );
  return lines.join('\n');
}
