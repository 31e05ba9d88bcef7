/**
 * `npm run bench:asr -- --encoder-window` (or tsx scripts/bench-asr-encoder-window.ts): accuracy
 * and time of Whisper with an encoder window shorter than 30 s, against the stock 30 s window,
 * in Node (onnxruntime-node), on the eval clips that fit each window. Prints a table, then ONE
 * JSON line.
 */
import * as ort from 'onnxruntime-node';
import { encoderFrames } from '../../app/lib/asr/encoder-window';
import { pooledWer, wordErrorRate, type WerCounts } from '../../app/lib/asr/wer';
import { encoderPath, variableLengthEncoder } from './encoder-window';
import { MODELS_DIR, clipSamples, loadClips, nodePipeline } from './node-runtime';

const MODEL = process.argv.includes('--base') ? 'Xenova/whisper-base' : 'Xenova/whisper-tiny';

interface Parts {
  model: {
    sessions: Record<string, unknown>;
    generate(a: Record<string, unknown>): Promise<unknown>;
  };
  processor(a: Float32Array): Promise<{ input_features: { slice(...r: unknown[]): unknown } }>;
  tokenizer: { batch_decode(t: unknown, o: Record<string, unknown>): string[] };
}

const asr = (await nodePipeline(MODEL)) as unknown as Parts;
const stock = asr.model.sessions.model;
const bytes = variableLengthEncoder(encoderPath(MODELS_DIR, MODEL));
const variable = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });

async function decode(samples: Float32Array, frames: number, session: unknown) {
  asr.model.sessions.model = session;
  const { input_features } = await asr.processor(samples);
  const inputs = frames === 3000 ? input_features : input_features.slice(null, null, [0, frames]);
  const t = performance.now();
  const out = await asr.model.generate({
    inputs,
    language: 'english',
    task: 'transcribe',
    max_new_tokens: 160
  });
  const ms = performance.now() - t;
  return { text: asr.tokenizer.batch_decode(out, { skip_special_tokens: true })[0]!.trim(), ms };
}

// Windows: the stock 30 s, the rewritten encoder at 30 s (must agree), fixed 10/15/20/25 s, and
// the app's rule. (A window of the clip's length plus 1 s was tried too: WER over 500 %, Whisper
// loops when the speech fills the window.)
const configs: {
  name: string;
  session: unknown;
  frames: (s: number) => number;
  maxSeconds: number;
}[] = [
  { name: 'stock 30 s', session: stock, frames: () => 3000, maxSeconds: 29.5 },
  { name: 'rewritten 30 s', session: variable, frames: () => 3000, maxSeconds: 29.5 },
  { name: '25 s', session: variable, frames: () => 2500, maxSeconds: 24.5 },
  { name: '20 s', session: variable, frames: () => 2000, maxSeconds: 19.5 },
  { name: '15 s', session: variable, frames: () => 1500, maxSeconds: 14.5 },
  { name: '10 s', session: variable, frames: () => 1000, maxSeconds: 9.5 },
  // What the app uses: app/lib/asr/encoder-window.ts encoderFrames().
  {
    name: 'app rule',
    session: variable,
    frames: (s) => encoderFrames(Math.round(s * 16_000)),
    maxSeconds: 29.5
  }
];
const clips = loadClips((c) => c.kind !== 'long').map((c) => ({ ...c, samples: clipSamples(c) }));
const results: Record<string, Record<string, { wer: number; ms: number; clips: number }>> = {};
for (const limit of [9.5, 14.5, 19.5, 29.5]) {
  const subset = clips.filter((c) => c.seconds <= limit);
  const row: Record<string, { wer: number; ms: number; clips: number }> = {};
  for (const config of configs.filter((c) => c.maxSeconds >= limit)) {
    const counts: WerCounts[] = [];
    let ms = 0;
    for (const c of subset) {
      const r = await decode(c.samples, config.frames(c.seconds), config.session);
      counts.push(wordErrorRate(c.text, r.text));
      ms += r.ms;
    }
    const figures = {
      wer: Math.round(pooledWer(counts) * 1000) / 10,
      ms: Math.round(ms / subset.length),
      clips: subset.length
    };
    row[config.name] = figures;
    console.error(
      `  clips ≤ ${limit} s, ${config.name}: WER ${figures.wer} %, ${figures.ms} ms/clip`
    );
  }
  results[`clips<=${limit}s`] = row;
}
console.log(
  `\nEncoder window (${MODEL}, Node onnxruntime-node; WER % and mean decode ms per clip)`
);
for (const [subset, row] of Object.entries(results)) {
  console.log(`  ${subset}`);
  for (const [name, v] of Object.entries(row))
    console.log(
      `    ${name.padEnd(16)} WER ${String(v.wer).padEnd(6)} ${v.ms} ms  (${v.clips} clips)`
    );
}
console.log(JSON.stringify({ model: MODEL, encoderWindow: results }));
