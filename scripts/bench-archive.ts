/**
 * `npm run bench:archive`: export and import throughput and peak memory of the archive for 10,000
 * captures with 1 GiB of audio. The benchmark itself is tests/bench/archive-bench.ts (app code, so
 * it is type-checked with the app); this entry only starts it. Not part of `npm test`.
 */
const entry = '../tests/bench/archive-bench.ts';
await import(entry);

export {};
