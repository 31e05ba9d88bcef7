/// <reference lib="webworker" />
/**
 * Transcription worker: glue between the protocol and Transformers.js. Models and the onnxruntime
 * wasm come from the app's own origin (/models/, /ort/), never a CDN, unless the user opts into
 * the Hugging Face Hub.
 */
import { env, pipeline } from '@huggingface/transformers';
import { createAsrHandler, type LoaderProgress, type PipelineLoader } from './asr-handler';
import { createModelFetch } from './model-fetch';
import { releasePinnedInputs } from './ort-pinned-inputs';
import { stageEncoder } from './staged-encoder';
import { gemvSupported } from './int8-gemv';
import { useInt8Head } from './int8-head-decoder';
import type { AsrRequest, AsrResponse } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

env.allowLocalModels = true;
env.localModelPath = '/models/';
// The service worker keeps model files in its own versioned cache (app/service-worker.ts); a second
// copy in Transformers.js's cache would double the space a model takes on the device.
env.useBrowserCache = false;
const onnxWasm = env.backends.onnx.wasm;
if (onnxWasm) {
  onnxWasm.wasmPaths = {
    mjs: '/ort/ort-wasm-simd-threaded.asyncify.mjs',
    wasm: '/ort/ort-wasm-simd-threaded.asyncify.wasm'
  };
}

/**
 * Threads for onnxruntime's wasm: only with cross-origin isolation (SharedArrayBuffer). By default
 * every core (at most 4): decodes are short bursts, and the audio thread and the voice detector
 * need little. On the idle 2-core dev machine two threads beat one both for whole clips (bench:asr
 * RTF 0.136 vs 0.173) and in live conversation (bench:turn p99 1.8 s vs 2.9 s, final transcript
 * p50 256 vs 664 ms past the end-of-turn wait). (An earlier run on a busy machine had favoured one.)
 */
function wasmThreads(requested?: number): number {
  if (!self.crossOriginIsolated) return 1;
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(requested ?? cores, 4));
}

let threads = 1;
let reportProgress: ((p: LoaderProgress) => void) | null = null;
// Whisper encoders arrive with a length-variable window (decodes sized to the utterance), and
// decoders with their output projection precomputed, or on wasm run on its int8 matrix
// (model-fetch.ts).
let loadingDevice: string | null = null;
const modelFetch = createModelFetch(
  env.fetch,
  (p) => reportProgress?.({ status: 'progress', ...p }),
  // On wasm the decoder's output projection runs on its int8 matrix (int8-head-decoder.ts).
  { int8Head: () => loadingDevice === 'wasm' && gemvSupported() }
);
env.fetch = modelFetch.fetch;

const loader: PipelineLoader = async (modelId, device, allowHub, onProgress) => {
  env.allowRemoteModels = allowHub;
  if (onnxWasm) onnxWasm.numThreads = threads;
  // The previous model's sessions are released by now: free the decoder inputs they kept in wasm
  // memory (ort-pinned-inputs.ts).
  releasePinnedInputs();
  reportProgress = onProgress;
  loadingDevice = device;
  try {
    const asr = await pipeline('automatic-speech-recognition', modelId, {
      dtype: 'q8',
      device,
      progress_callback: (info) => onProgress(info)
    });
    const variableEncoder = modelFetch.variable(`/${modelId}/`);
    // On wasm the encoder runs in stages, so a cancelled decode stops within one (staged-encoder.ts).
    const encoder = device === 'wasm' ? await modelFetch.encoder(`/${modelId}/`) : null;
    if (encoder) await stageEncoder(asr, encoder, { executionProviders: ['wasm'] });
    const head = modelFetch.decoderHead(`/${modelId}/`);
    if (head) useInt8Head(asr, head);
    return Object.assign(asr, { variableEncoder });
  } finally {
    reportProgress = null;
    loadingDevice = null;
    modelFetch.release();
  }
};

const handle = createAsrHandler(
  loader,
  (message: AsrResponse) =>
    self.postMessage(message.type === 'loaded' ? { ...message, threads } : message),
  {
    webGpuAvailable: async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return false;
      try {
        return (await gpu.requestAdapter()) !== null;
      } catch {
        return false;
      }
    }
  }
);

self.onmessage = (event: MessageEvent<AsrRequest>) => {
  const request = event.data;
  if (request.type === 'load') threads = wasmThreads(request.threads);
  void handle(request);
};
