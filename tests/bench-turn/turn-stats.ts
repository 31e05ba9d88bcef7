/**
 * Figures of the turn benchmark from the app's own per-turn timings: end of speech → first reply
 * token per turn, its percentiles, and how the time splits into stages (the debug panel's
 * breakdown, plus the time between the transcript and the request that the panel does not list).
 */
import { latencyStages } from '../../app/lib/agent/latency';

/** One measured turn: the total and its stages (ms). */
export interface MeasuredTurn {
  totalMs: number;
  stages: Record<string, number>;
}

/** Stage keys in order, with their labels. */
export const STAGE_LABELS: Record<string, string> = {
  endOfTurn: 'End-of-turn wait (silence)',
  transcript: 'Final transcript',
  store: 'Saving capture and turn',
  context: 'Finding related notes',
  request: 'Request to worker (response starts)',
  draft: 'Self-critique draft',
  firstToken: 'First token'
};

/**
 * A reply's stages from its stored timings, or null when it has no end-of-speech figure (typed
 * turns, the coach). "store" is the rest: end of speech → first token minus every listed stage.
 */
export function measureTurn(timings: Readonly<Record<string, number>>): MeasuredTurn | null {
  const totalMs = timings.speechToFirstTokenMs;
  if (totalMs === undefined || timings.firstTokenMs === undefined) return null;
  const stages: Record<string, number> = {};
  for (const stage of latencyStages(timings)) {
    if (stage.key === 'firstAudio') continue;
    stages[stage.key] = stage.ms;
  }
  const listed = Object.values(stages).reduce((a, b) => a + b, 0);
  stages.store = Math.max(0, totalMs - listed);
  return { totalMs, stages };
}

/** Nearest-rank percentile (p in 0–100) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Each stage's share of the summed total over all turns (0–1), and its p50 and p95 (ms). */
export function stageShares(
  turns: readonly MeasuredTurn[]
): Record<string, { share: number; p50Ms: number; p95Ms: number }> {
  const total = turns.reduce((n, t) => n + t.totalMs, 0);
  const out: Record<string, { share: number; p50Ms: number; p95Ms: number }> = {};
  for (const key of Object.keys(STAGE_LABELS)) {
    const values = turns.map((t) => t.stages[key]).filter((v): v is number => v !== undefined);
    if (values.length === 0) continue;
    out[key] = {
      share: Math.round((values.reduce((a, b) => a + b, 0) / total) * 1000) / 1000,
      p50Ms: percentile(values, 50),
      p95Ms: percentile(values, 95)
    };
  }
  return out;
}
