/**
 * Which sentence-embedding model meaning search uses, and whether its results mean anything.
 * The real default is all-MiniLM-L6-v2. The `lva-generated/*` models are stand-ins with random
 * weights (scripts/generate-embedding-models.ts): they exercise the real code path in tests and
 * benchmarks, and the app labels their results as meaningless. They are never deployed: tests
 * serve them to the browser themselves (see tests/e2e/search.spec.ts and scripts/bench-search.ts).
 */

/** The default embedding model. */
export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** localStorage key that selects another model (tests and benchmarks only). */
export const EMBEDDING_MODEL_OVERRIDE_KEY = 'lva.embeddingModel';

/** Whether a model id names a generated stand-in with meaningless output. */
export function isGeneratedModel(modelId: string): boolean {
  return modelId.startsWith('lva-generated/');
}

/**
 * Cosine similarity at which a meaning match is too strong to dilute in fusion, and below which it
 * is noise, per model. all-MiniLM-L6-v2: paraphrases score ~0.7+, unrelated sentences < 0.2 (its
 * published behaviour). Generated models get thresholds that never pin anything.
 */
export function similarityThresholds(modelId: string): { strong: number; floor: number } {
  if (modelId === DEFAULT_EMBEDDING_MODEL) return { strong: 0.8, floor: 0.2 };
  return { strong: Infinity, floor: -Infinity };
}
