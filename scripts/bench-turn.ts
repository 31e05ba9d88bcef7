/**
 * `npm run bench:turn` — end of speech → first reply token over 30+ spoken turns, hands-free, in
 * Chromium with a fake microphone, the real Whisper tiny model, the real worker and a loopback
 * Claude stand-in (600 ms to first token). The implementation lives in tests/bench-turn/; this
 * entry point only starts it. Options: --turns N, --gap S.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests/bench-turn/bench-turn.ts');
await import(pathToFileURL(entry).href);
