/** Retrieval metrics with binary relevance, as BEIR computes them (missing documents count as non-relevant). */

/** nDCG@k of one ranking. */
export function ndcgAt(
  ranking: readonly string[],
  relevant: ReadonlySet<string>,
  k: number
): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Recall@k of one ranking. */
export function recallAt(
  ranking: readonly string[],
  relevant: ReadonlySet<string>,
  k: number
): number {
  if (relevant.size === 0) return 0;
  return ranking.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

/** Mean metrics over queries. */
export interface RelevanceFigures {
  ndcg10: number;
  recall10: number;
  recall100: number;
  queries: number;
}

/** Averages nDCG@10, Recall@10 and Recall@100 over (ranking, relevant) pairs. */
export function relevance(
  runs: readonly { ranking: readonly string[]; relevant: ReadonlySet<string> }[]
): RelevanceFigures {
  const mean = (f: (r: (typeof runs)[number]) => number) =>
    runs.reduce((s, r) => s + f(r), 0) / Math.max(1, runs.length);
  return {
    ndcg10: mean((r) => ndcgAt(r.ranking, r.relevant, 10)),
    recall10: mean((r) => recallAt(r.ranking, r.relevant, 10)),
    recall100: mean((r) => recallAt(r.ranking, r.relevant, 100)),
    queries: runs.length
  };
}

/** The p-th percentile (0–100) of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
