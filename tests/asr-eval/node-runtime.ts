/** Loads the real models in Node: Transformers.js (onnxruntime-node) and Silero v5. */
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { AsrPipeline } from '../../app/lib/asr/asr-handler';
import { decodeWav } from '../../app/lib/audio/wav';
import { SileroVad } from '../../app/lib/vad/silero';
import type { EvalClip } from './eval-core';
import { precomputedOutputProjection } from '../../app/lib/asr/decoder-head';
import { encoderPath, variableLengthEncoder } from './encoder-window';

export const root = resolve(import.meta.dirname, '../..');
export const SHARED = resolve(process.env.LVA_SHARED_DIR ?? join(root, '..', 'shared'));
export const SPEECH_DIR = join(SHARED, 'eval/speech');

/** Where each model's files are (provisioned copy under static/models). */
export const MODELS_DIR = join(root, 'static/models');

/** The manifest clips with their samples. */
export function loadClips(filter?: (c: EvalClip) => boolean): (EvalClip & { file: string })[] {
  return readFileSync(join(SPEECH_DIR, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalClip & { file: string })
    .filter((c) => !filter || filter(c));
}

/** 16 kHz samples of a clip. */
export function clipSamples(clip: { file: string }): Float32Array {
  const bytes = readFileSync(join(SPEECH_DIR, clip.file));
  return decodeWav(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    .samples;
}

/**
 * A Transformers.js ASR pipeline on onnxruntime-node (CPU), on every core unless `threads` says
 * otherwise. `appModels`: the encoder and decoder sessions are rebuilt from the app's edits
 * (encoder-window.ts, decoder-head.ts), as the app's worker does through env.fetch in the browser.
 * The encoder stays whole: the native reference. The worker runs it in stages on wasm
 * (staged-encoder.ts, the same numbers); staged here, each stage's session brings its own thread
 * pool, and on every core the RTF went 0.060 → 0.076 in a paired run (one thread: unchanged).
 */
export async function nodePipeline(
  modelId: string,
  options: { appModels?: boolean; threads?: number } = {}
): Promise<AsrPipeline> {
  // onnxruntime-node's default is every core; `threads` pins it (a like-for-like reference).
  const sessionOptions = options.threads ? { intraOpNumThreads: options.threads } : {};
  const { env, pipeline } = await import('@huggingface/transformers');
  env.localModelPath = `${MODELS_DIR}/`;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const asr = await pipeline('automatic-speech-recognition', modelId, {
    dtype: 'q8',
    device: 'cpu',
    session_options: sessionOptions
  });
  if (!options.appModels) return asr;
  const files = appModelFiles(modelId);
  const model = (asr as unknown as { model: { sessions: Record<string, unknown> } }).model;
  model.sessions.model = await ort.InferenceSession.create(files.encoder, sessionOptions);
  model.sessions.decoder_model_merged = await ort.InferenceSession.create(
    files.decoder,
    sessionOptions
  );
  return Object.assign(asr, { variableEncoder: true });
}

/**
 * A provisioned Whisper model's encoder and decoder as the app's worker loads them: with the
 * length-variable encoder window (encoder-window.ts) and the precomputed output projection
 * (decoder-head.ts).
 */
export function appModelFiles(modelId: string): { encoder: Uint8Array; decoder: Uint8Array } {
  return {
    encoder: appEncoder(modelId),
    decoder: precomputedOutputProjection(stockDecoder(modelId))
  };
}

/** A provisioned Whisper model's encoder with the app's edits (length-variable window). */
export function appEncoder(modelId: string): Uint8Array {
  return variableLengthEncoder(encoderPath(MODELS_DIR, modelId));
}

/** A provisioned Whisper model's stock q8 decoder file. */
export function stockDecoder(modelId: string): Uint8Array {
  return new Uint8Array(
    readFileSync(join(MODELS_DIR, modelId, 'onnx/decoder_model_merged_quantized.onnx'))
  );
}

/** Silero v5 on onnxruntime-node. */
export async function nodeSilero(): Promise<SileroVad> {
  const session = await ort.InferenceSession.create(
    join(MODELS_DIR, 'snakers4/silero-vad/silero_vad_v5.onnx'),
    { intraOpNumThreads: 1 }
  );
  return new SileroVad(session, (type, data, dims) => new ort.Tensor(type, data, dims));
}
