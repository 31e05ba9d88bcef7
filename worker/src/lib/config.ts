import type { EnvVars as Env } from '../env-vars';

/** The current Claude Haiku, the default partner model. */
export const DEFAULT_MODEL = 'claude-haiku-5-5';
/** The default OpenAI-compatible transcription model. */
export const DEFAULT_TRANSCRIBE_MODEL = 'whisper-1';
const DEFAULT_MAX_TOKENS_CAP = 2048;

/** A positive integer setting, or its default when unset, empty or invalid. */
export function intSetting(value: string | undefined, fallback: number, min = 0): number {
  const n = Number(value?.trim() || NaN);
  return Number.isInteger(n) && n >= min ? n : fallback;
}

/** Trimmed text setting, or undefined when unset or empty. */
export function textSetting(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/** Resolved Anthropic settings, or null when no key is configured. */
export interface AnthropicConfig {
  apiKey: string;
  baseURL: string;
  defaultModel: string;
  allowedModels: ReadonlySet<string>;
  maxTokensCap: number;
}

/** Reads the Anthropic configuration from the environment. */
export function anthropicConfig(env: Env): AnthropicConfig | null {
  const apiKey = textSetting(env.ANTHROPIC_API_KEY);
  if (!apiKey) return null;
  const model = defaultModel(env);
  const listed = (env.ANTHROPIC_MODEL_ALLOWLIST ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  return {
    apiKey,
    baseURL: (textSetting(env.ANTHROPIC_BASE_URL) ?? 'https://api.anthropic.com').replace(
      /\/+$/,
      ''
    ),
    defaultModel: model,
    allowedModels: new Set([model, ...listed]),
    maxTokensCap: intSetting(env.MAX_TOKENS_CAP, DEFAULT_MAX_TOKENS_CAP, 1)
  };
}

/** The default model, whether or not a key is configured (for health). */
export function defaultModel(env: Env): string {
  return textSetting(env.ANTHROPIC_MODEL) ?? DEFAULT_MODEL;
}

/** Resolved transcription settings, or null when no key is configured. */
export interface TranscriptionConfig {
  apiKey: string;
  baseURL: string;
  model: string;
  responseFormat: 'json' | 'verbose_json';
}

/** Reads the OpenAI-compatible transcription configuration from the environment. */
export function transcriptionConfig(env: Env): TranscriptionConfig | null {
  const apiKey = textSetting(env.OPENAI_API_KEY);
  if (!apiKey) return null;
  return {
    apiKey,
    baseURL: (textSetting(env.OPENAI_BASE_URL) ?? 'https://api.openai.com').replace(/\/+$/, ''),
    model: transcribeModel(env),
    responseFormat:
      env.OPENAI_TRANSCRIBE_RESPONSE_FORMAT?.trim() === 'json' ? 'json' : 'verbose_json'
  };
}

/** The transcription model, whether or not a key is configured (for health). */
export function transcribeModel(env: Env): string {
  return textSetting(env.OPENAI_TRANSCRIBE_MODEL) ?? DEFAULT_TRANSCRIBE_MODEL;
}

/** Whether any upstream key is configured, i.e. whether the worker holds something to protect. */
export function holdsKeys(env: Env): boolean {
  return Boolean(textSetting(env.ANTHROPIC_API_KEY) || textSetting(env.OPENAI_API_KEY));
}

/** Retry, timeout and circuit-breaker policy for upstream calls. */
export interface UpstreamPolicy {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  responseTimeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxRetryAfterMs: number;
  failureThreshold: number;
  cooldownMs: number;
}

/** Reads the upstream policy from the environment. */
export function upstreamPolicy(env: Env): UpstreamPolicy {
  return {
    connectTimeoutMs: intSetting(env.UPSTREAM_CONNECT_TIMEOUT_MS, 10_000, 1),
    firstByteTimeoutMs: intSetting(env.UPSTREAM_FIRST_BYTE_TIMEOUT_MS, 30_000, 1),
    responseTimeoutMs: intSetting(env.UPSTREAM_RESPONSE_TIMEOUT_MS, 120_000, 1),
    idleTimeoutMs: intSetting(env.UPSTREAM_IDLE_TIMEOUT_MS, 30_000, 1),
    maxRetries: intSetting(env.UPSTREAM_MAX_RETRIES, 2),
    backoffBaseMs: intSetting(env.UPSTREAM_BACKOFF_BASE_MS, 500),
    backoffMaxMs: intSetting(env.UPSTREAM_BACKOFF_MAX_MS, 8_000),
    maxRetryAfterMs: intSetting(env.UPSTREAM_MAX_RETRY_AFTER_MS, 10_000),
    failureThreshold: intSetting(env.CIRCUIT_FAILURE_THRESHOLD, 5, 1),
    cooldownMs: intSetting(env.CIRCUIT_COOLDOWN_MS, 30_000, 1)
  };
}

/** Rate limits and daily budgets. */
export interface LimitsConfig {
  devicePerMinute: number;
  ipPerMinute: number;
  pairPerHour: number;
  dailyTokens: number;
  dailyTranscribeSeconds: number;
  backend: 'auto' | 'memory';
}

/** Reads the limits from the environment. */
export function limitsConfig(env: Env): LimitsConfig {
  return {
    devicePerMinute: intSetting(env.RATE_LIMIT_DEVICE_PER_MINUTE, 30, 1),
    ipPerMinute: intSetting(env.RATE_LIMIT_IP_PER_MINUTE, 120, 1),
    pairPerHour: intSetting(env.RATE_LIMIT_PAIR_PER_HOUR, 10, 1),
    dailyTokens: intSetting(env.DAILY_TOKEN_BUDGET, 200_000, 1),
    dailyTranscribeSeconds: intSetting(env.DAILY_TRANSCRIBE_SECONDS, 3600, 1),
    backend: env.RATE_LIMIT_BACKEND?.trim() === 'memory' ? 'memory' : 'auto'
  };
}
