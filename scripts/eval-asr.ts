/**
 * `npm run eval:asr` — word error rate of the product transcription path against the plain
 * Transformers.js pipeline, in Node and headless Chromium. The implementation lives with its
 * harness in tests/asr-eval/ (type-checked with the app, whose modules it runs); this entry point
 * only starts it. Options: --only REGEX, --models tiny,base, --no-browser, --no-node.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests/asr-eval/eval-asr.ts');
await import(pathToFileURL(entry).href);
