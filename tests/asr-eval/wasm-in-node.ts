/**
 * onnxruntime-web's wasm (the build the browser runs) in Node, behind the session interface
 * Transformers.js calls on onnxruntime-node, and sessions timed run by run: to tell how much of
 * the browser/native gap is the wasm engine itself and how much is the browser around it.
 */
import * as ort from 'onnxruntime-node';
import * as web from 'onnxruntime-web';
import type { AsrPipeline } from '../../app/lib/asr/asr-handler';
import { encoderStages } from '../../app/lib/asr/encoder-split';
import { StagedEncoder } from '../../app/lib/asr/staged-encoder';
import { detachedOutputProjection } from '../../app/lib/asr/decoder-head';
import { Int8HeadDecoder, int8Head } from '../../app/lib/asr/int8-head-decoder';
import { appEncoder, nodePipeline, stockDecoder } from './node-runtime';

type Feeds = Record<string, ort.Tensor>;
interface RunnableSession {
  run(feeds: Feeds, ...rest: unknown[]): Promise<Feeds>;
}

/** Time spent in one session's `run`, and how many runs. */
export interface SessionTime {
  ms: number;
  runs: number;
}

/**
 * An onnxruntime-web session that takes and returns onnxruntime-node tensors (the two packages'
 * Tensor classes differ; the typed arrays are handed over, not copied).
 */
async function wasmSession(model: Uint8Array) {
  const session = await web.InferenceSession.create(model);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputMetadata: session.inputMetadata,
    outputMetadata: session.outputMetadata,
    release: () => session.release(),
    async run(feeds: Feeds): Promise<Feeds> {
      const input: Record<string, web.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        input[name] = new web.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
      }
      const out: Feeds = {};
      for (const [name, t] of Object.entries(await session.run(input))) {
        out[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
      }
      return out;
    }
  };
}

/** The same session, with the time of each `run` added to `into`. */
function timed<S extends RunnableSession>(session: S, into: SessionTime): S {
  const run = session.run.bind(session);
  // Everything else (input names, metadata, release) comes through the prototype chain.
  return Object.assign(Object.create(session) as S, {
    async run(feeds: Feeds, ...rest: unknown[]): Promise<Feeds> {
      const started = performance.now();
      try {
        return await run(feeds, ...rest);
      } finally {
        into.ms += performance.now() - started;
        into.runs++;
      }
    }
  });
}

/**
 * The app's Whisper pipeline (length-variable encoder, precomputed output projection) on one
 * thread, on onnxruntime-node or on onnxruntime-web's wasm (there with the encoder in stages and
 * the output projection on its int8 matrix, as the app runs it: staged-encoder.ts,
 * int8-head-decoder.ts), with its encoder and decoder timed.
 */
export async function timedPipeline(
  modelId: string,
  runtime: 'native' | 'wasm'
): Promise<{ pipeline: AsrPipeline; encoder: SessionTime; decoder: SessionTime }> {
  // On wasm, the native sessions the pipeline loads are replaced by wasm ones of the same files
  // (so the native ones are not rebuilt from the app's edits first, only to be dropped).
  const native = runtime === 'native';
  const pipeline = await nodePipeline(modelId, { appModels: native, threads: 1 });
  const sessions = (pipeline as unknown as { model: { sessions: Record<string, RunnableSession> } })
    .model.sessions;
  if (!native) {
    web.env.wasm.numThreads = 1;
    // In stages, as the app runs it on wasm and the native pipeline does (staged-encoder.ts).
    const stages = await Promise.all(encoderStages(appEncoder(modelId)).map(wasmSession));
    // Its run gives what its stages give: onnxruntime-node tensors (wasmSession).
    sessions.model = new StagedEncoder(stages) as unknown as RunnableSession;
    // The decoder as the app runs it on wasm: its projection on the int8 matrix (model-fetch.ts).
    const { model, head } = detachedOutputProjection(stockDecoder(modelId));
    const kernel = int8Head(head);
    if (!kernel) throw new Error('This engine cannot run the int8 output projection.');
    sessions.decoder_model_merged = new Int8HeadDecoder(
      await wasmSession(model),
      kernel
    ) as unknown as RunnableSession;
    Object.assign(pipeline, { variableEncoder: true });
  }
  const encoder: SessionTime = { ms: 0, runs: 0 };
  const decoder: SessionTime = { ms: 0, runs: 0 };
  sessions.model = timed(sessions.model!, encoder);
  sessions.decoder_model_merged = timed(sessions.decoder_model_merged!, decoder);
  return { pipeline, encoder, decoder };
}
