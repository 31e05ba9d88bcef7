/**
 * Measures whether Whisper's encoder can run on a window shorter than 30 s without losing
 * accuracy (the implementation lives with the ASR harness in tests/asr-eval/). Options: --base.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'tests/asr-eval/bench-encoder-window.ts'
);
await import(pathToFileURL(entry).href);
