/** Bindings and configuration the worker reads. Secrets come from `wrangler secret` or `.dev.vars`. */
export interface Env {
  /** The built SPA (Workers Static Assets). */
  ASSETS: Fetcher;
  /** Secret: the Anthropic API key. Without it `/api/chat` answers `upstream_not_configured`. */
  ANTHROPIC_API_KEY?: string;
  /** Anthropic API base URL; defaults to the SDK's (https://api.anthropic.com). */
  ANTHROPIC_BASE_URL?: string;
  /** Default Claude model when a request names none. */
  ANTHROPIC_MODEL?: string;
  /** Comma-separated models a request may ask for (the default is always allowed). */
  ANTHROPIC_MODEL_ALLOWLIST?: string;
  /** Upper bound applied to every request's `max_tokens`. */
  MAX_TOKENS_CAP?: string;
  /** Secret: key of the OpenAI-compatible transcription fallback. */
  OPENAI_API_KEY?: string;
  /** Base URL of the OpenAI-compatible transcription API. */
  OPENAI_BASE_URL?: string;
  /** Secret: when set, every `/api/*` call but health must present it as a bearer token. */
  ACCESS_TOKEN?: string;
}

/** Hono generics for this worker. */
export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string };
}
