/**
 * `npm run bench:asr` — real-time factor of Whisper tiny in Node and Chromium (single- and
 * multi-threaded wasm), browser/native ratios, and live latencies. The implementation lives with
 * its harness in tests/asr-eval/; this entry point only starts it. Options: --quick, --no-latency.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests/asr-eval/bench-asr.ts');
await import(pathToFileURL(entry).href);
