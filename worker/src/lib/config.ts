import type { Env } from '../env';

/** The current Claude Haiku, the default partner model. */
export const DEFAULT_MODEL = 'claude-haiku-5-5';
const DEFAULT_MAX_TOKENS_CAP = 2048;

/** Resolved Anthropic settings, or null when no key is configured. */
export interface AnthropicConfig {
  apiKey: string;
  baseURL: string | undefined;
  defaultModel: string;
  allowedModels: ReadonlySet<string>;
  maxTokensCap: number;
}

/** Reads the Anthropic configuration from the environment. */
export function anthropicConfig(env: Env): AnthropicConfig | null {
  const apiKey = env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) return null;
  const defaultModel = env.ANTHROPIC_MODEL?.trim() || DEFAULT_MODEL;
  const listed = (env.ANTHROPIC_MODEL_ALLOWLIST ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const cap = Number(env.MAX_TOKENS_CAP);
  return {
    apiKey,
    baseURL: env.ANTHROPIC_BASE_URL?.trim() || undefined,
    defaultModel,
    allowedModels: new Set([defaultModel, ...listed]),
    maxTokensCap: Number.isInteger(cap) && cap > 0 ? cap : DEFAULT_MAX_TOKENS_CAP
  };
}

/** The default model, whether or not a key is configured (for health). */
export function defaultModel(env: Env): string {
  return env.ANTHROPIC_MODEL?.trim() || DEFAULT_MODEL;
}
