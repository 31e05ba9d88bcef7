/**
 * Hybrid ranking by reciprocal rank fusion: score(d) = Σ_s w_s / (k + rank_s(d)), ranks from 1.
 * RRF needs no score calibration between BM25 and cosine, but it flattens margins: a document
 * that is by far the best on one side can sink below documents that are middling on both. The
 * guard pins such "strong" matches (flagged by each side) above the fused list, in fused order.
 */

/** One side's ranking, best first. `strong` marks matches that must not be diluted. */
export interface RankedList {
  name: string;
  ids: readonly string[];
  weight?: number;
  strong?: ReadonlySet<string>;
}

/** Fusion parameters. */
export interface FusionParams {
  /** The RRF constant: larger flattens the difference between ranks. */
  k: number;
}

/** Defaults; see scripts/eval-search.ts for how they were chosen. */
export const DEFAULT_FUSION: FusionParams = { k: 60 };

/** A fused result with its rank on every side that found it (1-based). */
export interface FusedItem {
  id: string;
  score: number;
  ranks: Record<string, number>;
  strong: boolean;
}

/** Fuses rankings; ties keep the order of first appearance. */
export function reciprocalRankFusion(
  lists: readonly RankedList[],
  params: FusionParams = DEFAULT_FUSION
): FusedItem[] {
  const items = new Map<string, FusedItem & { order: number }>();
  let order = 0;
  for (const list of lists) {
    const weight = list.weight ?? 1;
    list.ids.forEach((id, i) => {
      let item = items.get(id);
      if (!item) {
        item = { id, score: 0, ranks: {}, strong: false, order: order++ };
        items.set(id, item);
      }
      if (item.ranks[list.name] !== undefined) return;
      item.ranks[list.name] = i + 1;
      item.score += weight / (params.k + i + 1);
      if (list.strong?.has(id)) item.strong = true;
    });
  }
  return [...items.values()]
    .sort((a, b) => Number(b.strong) - Number(a.strong) || b.score - a.score || a.order - b.order)
    .map(({ id, score, ranks, strong }) => ({ id, score, ranks, strong }));
}

/**
 * Keyword hits that must not be diluted: the top hit when it outscores the next by `margin`×
 * and matched every query word exactly (the person typed words that single out one capture).
 */
export function strongKeywordHits(
  hits: readonly { id: string; score: number; exactAll: boolean }[],
  margin = 1.5
): Set<string> {
  const [first, second] = hits;
  if (!first || !first.exactAll) return new Set();
  return !second || first.score >= margin * second.score ? new Set([first.id]) : new Set();
}

/** Meaning hits that must not be diluted: similarity at or above `threshold` (near-paraphrases). */
export function strongVectorHits(
  hits: readonly { id: string; similarity: number }[],
  threshold: number
): Set<string> {
  return new Set(hits.filter((h) => h.similarity >= threshold).map((h) => h.id));
}
