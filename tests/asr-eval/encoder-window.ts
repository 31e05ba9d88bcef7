/** The app's encoder rewrite (app/lib/asr/encoder-window.ts) applied to a provisioned model file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { variableLengthEncoder as rewrite } from '../../app/lib/asr/encoder-window';

/** The encoder at `path` with its positional embeddings sliced to the input length. */
export function variableLengthEncoder(path: string): Uint8Array {
  return rewrite(new Uint8Array(readFileSync(path)));
}

/** Path of a provisioned model's quantized encoder. */
export const encoderPath = (modelsDir: string, modelId: string) =>
  join(modelsDir, modelId, 'onnx/encoder_model_quantized.onnx');
