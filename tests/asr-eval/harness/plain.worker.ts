/// <reference lib="webworker" />
/**
 * The plain Transformers.js pipeline in Chromium, for comparison with the product path: same model
 * files and runtime settings as the app's ASR worker, called on whole clips.
 */
import { env, pipeline } from '@huggingface/transformers';
import type { AsrPipeline } from '../../../app/lib/asr/asr-handler';
import { plainTranscript } from '../eval-core';

declare const self: DedicatedWorkerGlobalScope;

env.allowLocalModels = true;
env.allowRemoteModels = false;
env.localModelPath = '/models/';
const wasm = env.backends.onnx.wasm;
if (wasm) {
  wasm.wasmPaths = {
    mjs: '/ort/ort-wasm-simd-threaded.asyncify.mjs',
    wasm: '/ort/ort-wasm-simd-threaded.asyncify.wasm'
  };
  wasm.numThreads = self.crossOriginIsolated ? navigator.hardwareConcurrency : 1;
}

let asr: Promise<AsrPipeline> | null = null;

self.onmessage = (event: MessageEvent<{ id: number; modelId: string; samples: Float32Array }>) => {
  const { id, modelId, samples } = event.data;
  asr ??= pipeline('automatic-speech-recognition', modelId, { dtype: 'q8', device: 'wasm' }).then(
    (p) => p as unknown as AsrPipeline
  );
  void asr
    .then((p) => plainTranscript(p, samples))
    .then(
      (text) => self.postMessage({ id, text }),
      (err: unknown) => self.postMessage({ id, error: String(err) })
    );
};
