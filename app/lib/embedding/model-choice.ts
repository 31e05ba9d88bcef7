/**
 * Decides which embedding model meaning search uses and whether it may run, from the provisioning
 * status (/models/status.json) and the test-only override. Pure, so the rule is tested directly.
 */
import { DEFAULT_EMBEDDING_MODEL, isGeneratedModel } from './models';

/** What the provisioning status says about one model. */
export interface ModelStatus {
  id: string;
  role: string;
  available: boolean;
  note: string | null;
}

/** The decision. */
export type MeaningChoice =
  | { available: true; modelId: string; generated: boolean }
  | { available: false; modelId: string; reason: string };

/**
 * The default model when provisioning found its real weights; a generated stand-in only when a
 * test or benchmark asked for it explicitly (its results are then labelled meaningless).
 */
export function chooseMeaningModel(
  statuses: readonly ModelStatus[] | null,
  override: string | null
): MeaningChoice {
  if (override && isGeneratedModel(override))
    return { available: true, modelId: override, generated: true };
  const modelId = override || DEFAULT_EMBEDDING_MODEL;
  const status = statuses?.find((m) => m.id === modelId);
  if (!status)
    return {
      available: false,
      modelId,
      reason: 'Meaning search is not available: this deployment does not list its model.'
    };
  if (!status.available)
    return {
      available: false,
      modelId,
      reason:
        status.note ??
        'Meaning search is not available: its model could not be provisioned. Keyword search works as usual.'
    };
  return { available: true, modelId, generated: false };
}
