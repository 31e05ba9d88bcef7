/**
 * `npm run bench:asr-wasm` — where single-threaded wasm loses to native: encoder-layer kernels,
 * and the app's path split into encoder, decoder and the rest, on onnxruntime-web's wasm and on
 * onnxruntime-node, one thread each. The implementation lives in tests/asr-eval/.
 * Option: --quick.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'tests/asr-eval/bench-asr-wasm.ts'
);
await import(pathToFileURL(entry).href);
