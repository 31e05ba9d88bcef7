/// <reference lib="webworker" />
/**
 * Voice activity detection off the main thread: Silero v5 on onnxruntime-web (single-threaded
 * wasm: one frame is tiny, and the cores belong to Whisper). The model and wasm come from the
 * app's own origin. Streamed audio is cut into 512-sample frames; each message answers with the
 * probabilities of the frames it completed, in order.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { FrameCutter, SileroVad, probabilities } from './silero';
import type { VadRequest, VadResponse } from './vad-protocol';

declare const self: DedicatedWorkerGlobalScope;

ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = {
  mjs: '/ort/ort-wasm-simd-threaded.asyncify.mjs',
  wasm: '/ort/ort-wasm-simd-threaded.asyncify.wasm'
};

let session: ort.InferenceSession | null = null;
let stream: { vad: SileroVad; cutter: FrameCutter } | null = null;
let queue: Promise<unknown> = Promise.resolve();

const post = (message: VadResponse, transfer: Transferable[] = []) =>
  self.postMessage(message, transfer);
const tensor = (type: 'float32' | 'int64', data: Float32Array | BigInt64Array, dims: number[]) =>
  new ort.Tensor(type, data, dims);

async function handle(request: VadRequest): Promise<void> {
  if (request.type === 'load') {
    if (!session) {
      const response = await fetch(request.modelUrl);
      if (!response.ok)
        throw new Error(`The voice detector could not be downloaded (HTTP ${response.status}).`);
      session = await ort.InferenceSession.create(new Uint8Array(await response.arrayBuffer()), {
        executionProviders: ['wasm']
      });
    }
    post({ type: 'loaded', id: request.id });
    return;
  }
  if (!session) throw new Error('The voice detector is not loaded.');
  if (request.type === 'reset') {
    stream = { vad: new SileroVad(session, tensor), cutter: new FrameCutter() };
    post({ type: 'done', id: request.id });
  } else if (request.type === 'audio') {
    stream ??= { vad: new SileroVad(session, tensor), cutter: new FrameCutter() };
    const frames = stream.cutter.push(request.samples);
    const out = new Float32Array(frames.length);
    for (let i = 0; i < frames.length; i++) out[i] = await stream.vad.frame(frames[i]!);
    post({ type: 'probabilities', id: request.id, probabilities: out }, [out.buffer]);
  } else {
    const out = await probabilities(new SileroVad(session, tensor), request.samples, (fraction) =>
      post({ type: 'progress', id: request.id, fraction })
    );
    post({ type: 'probabilities', id: request.id, probabilities: out }, [out.buffer]);
  }
}

self.onmessage = (event: MessageEvent<VadRequest>) => {
  const request = event.data;
  queue = queue
    .then(() => handle(request))
    .catch((err: unknown) =>
      post({
        type: 'error',
        id: request.id,
        message: err instanceof Error ? err.message : String(err)
      })
    );
};
