/**
 * Prompt strategies: which optional techniques a turn's request uses. Switchable in settings and
 * recorded with every reply (by {@link strategyName}) so replies can be compared per strategy.
 */

/** The optional techniques of one turn. */
export interface PromptStrategy {
  /** Few-shot examples chosen by the kind of turn. */
  fewShot: boolean;
  /** A hidden step-by-step reasoning section before the reply (never shown or spoken). */
  reasoning: boolean;
  /** A second request that revises the draft against the written principles. */
  selfCritique: boolean;
}

/** The default: examples on, the extra latency of reasoning and critique off. */
export const DEFAULT_STRATEGY: PromptStrategy = {
  fewShot: true,
  reasoning: false,
  selfCritique: false
};

/** A stable name, e.g. "base", "few-shot", "few-shot+reasoning+critique". */
export function strategyName(strategy: PromptStrategy): string {
  const parts = [
    strategy.fewShot && 'few-shot',
    strategy.reasoning && 'reasoning',
    strategy.selfCritique && 'critique'
  ].filter((p): p is string => p !== false);
  return parts.length ? parts.join('+') : 'base';
}

/** Every combination, in a fixed order (for tests and comparisons). */
export const ALL_STRATEGIES: readonly PromptStrategy[] = [false, true].flatMap((fewShot) =>
  [false, true].flatMap((reasoning) =>
    [false, true].map((selfCritique) => ({ fewShot, reasoning, selfCritique }))
  )
);
