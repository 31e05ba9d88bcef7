/// <reference lib="webworker" />
/**
 * Embedding worker: glue between the protocol and Transformers.js. Models and the onnxruntime
 * wasm come from the app's own origin (/models/, /ort/), never a CDN, unless the user opts into
 * the Hugging Face Hub. One wasm thread: indexing runs in the background and must leave the other
 * core to the page and to transcription.
 */
import { env, pipeline } from '@huggingface/transformers';
import {
  createEmbeddingHandler,
  type EmbedderLoader,
  type FeatureExtractor
} from './embedding-handler';
import type { EmbeddingRequest, EmbeddingResponse } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

env.allowLocalModels = true;
env.localModelPath = '/models/';
const onnxWasm = env.backends.onnx.wasm;
if (onnxWasm) {
  onnxWasm.numThreads = 1;
  onnxWasm.wasmPaths = {
    mjs: '/ort/ort-wasm-simd-threaded.asyncify.mjs',
    wasm: '/ort/ort-wasm-simd-threaded.asyncify.wasm'
  };
}

const loader: EmbedderLoader = async (modelId, allowHub, onProgress) => {
  env.allowRemoteModels = allowHub;
  const extractor = await pipeline('feature-extraction', modelId, {
    dtype: 'q8',
    device: 'wasm',
    progress_callback: (info) => onProgress(info)
  });
  return extractor as unknown as FeatureExtractor;
};

const handle = createEmbeddingHandler(loader, (message: EmbeddingResponse) => {
  if (message.type === 'embedded') self.postMessage(message, [message.vectors.buffer]);
  else self.postMessage(message);
});

self.onmessage = (event: MessageEvent<EmbeddingRequest>) => {
  void handle(event.data);
};
