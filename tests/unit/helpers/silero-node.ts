/** Real Silero v5 on onnxruntime-node, for tests and scripts (the same class the browser runs). */
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { SileroVad, probabilities, type TensorFactory } from '$lib/vad/silero';

/** The provisioned Silero v5 model (copied from @ricky0123/vad-web by provisioning). */
export const SILERO_PATH = fileURLToPath(
  new URL('../../../node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx', import.meta.url)
);

const tensor: TensorFactory = (type, data, dims) => new ort.Tensor(type, data, dims);

/** A fresh detector. */
export async function nodeSilero(): Promise<SileroVad> {
  const session = await ort.InferenceSession.create(SILERO_PATH, { intraOpNumThreads: 1 });
  return new SileroVad(session, tensor);
}

/** Speech probabilities of a whole buffer. */
export async function sileroTrace(samples: Float32Array): Promise<Float32Array> {
  return probabilities(await nodeSilero(), samples);
}
