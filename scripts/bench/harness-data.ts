/** Data the bench page fetches from the Node side, and latency bookkeeping. */

/** SciFact documents, their passages and vectors (row per passage), and test queries with vectors. */
export interface BenchData {
  docs: { id: string; title: string; text: string }[];
  passages: { doc: number; index: number; text: string }[];
  dims: number;
  vectors: Float32Array;
  queries: string[];
  queryVectors: Float32Array;
}

/** Per-query times in milliseconds. */
export interface Latency {
  p50: number;
  p95: number;
  mean: number;
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
    NaN
  );
}

/** Times `run` once per query. */
export function latencies(
  queries: readonly string[],
  run: (q: string, i: number) => unknown
): Latency {
  const times = queries.map((q, i) => {
    const t = performance.now();
    run(q, i);
    return performance.now() - t;
  });
  return summarize(times);
}

/** p50, p95 and mean of times. */
export function summarize(times: readonly number[]): Latency {
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    mean: times.reduce((s, t) => s + t, 0) / Math.max(1, times.length)
  };
}
