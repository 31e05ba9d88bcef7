/** The ASR evaluation in Node (onnxruntime-node): both paths, every clip, one model. */
import { probabilities } from '../../app/lib/vad/silero';
import {
  evaluateClip,
  handlerEngine,
  liveEngine,
  plainTranscript,
  type ClipResult,
  type EvalOptions,
  type EvalRuntime
} from './eval-core';
import { clipSamples, loadClips, nodePipeline, nodeSilero } from './node-runtime';

/** Runs the evaluation of one model over the manifest (or the clips whose id matches `only`). */
export async function evalNode(
  modelId: string,
  only?: RegExp,
  log: (line: string) => void = () => undefined,
  options: EvalOptions = { live: true, forcePrefix: false }
): Promise<ClipResult[]> {
  // The product path runs the app's length-variable encoder; the plain pipeline the stock one.
  const pipeline = await nodePipeline(modelId);
  const engine = handlerEngine(await nodePipeline(modelId, { appModels: true }), modelId);
  await engine.loaded;
  const vad = await nodeSilero();
  const runtime: EvalRuntime = {
    engine: liveEngine(engine),
    probabilities: (samples) => {
      vad.reset();
      return probabilities(vad, samples);
    },
    plain: (samples) => plainTranscript(pipeline, samples)
  };
  const results: ClipResult[] = [];
  for (const clip of loadClips((c) => !only || only.test(c.id))) {
    const r = await evaluateClip(clip, clipSamples(clip), runtime, options);
    log(
      `  node ${modelId} ${clip.id}: product ${(r.product.wer * 100).toFixed(1)} %, live ${r.live ? (r.live.wer * 100).toFixed(1) : '-'} %, plain ${(r.plain.wer * 100).toFixed(1)} %`
    );
    results.push(r);
  }
  return results;
}
