/**
 * The worker's settings: secrets from `wrangler secret` or `.dev.vars`, everything else from
 * `[vars]` in wrangler.toml. Unset or empty values mean "use the default". Kept apart from the
 * bindings (env.ts) so pure modules and their Node tests need no Workers types.
 */
export interface EnvVars {
  /** Secret: the Anthropic API key. Without it `/api/chat` answers `upstream_not_configured`. */
  ANTHROPIC_API_KEY?: string;
  /** Anthropic API base URL (default https://api.anthropic.com). */
  ANTHROPIC_BASE_URL?: string;
  /** Default Claude model when a request names none. */
  ANTHROPIC_MODEL?: string;
  /** Comma-separated models a request may ask for (the default is always allowed). */
  ANTHROPIC_MODEL_ALLOWLIST?: string;
  /** Upper bound applied to every request's `max_tokens`. */
  MAX_TOKENS_CAP?: string;
  /** Secret: key of the OpenAI-compatible transcription fallback. */
  OPENAI_API_KEY?: string;
  /** Base URL of the OpenAI-compatible transcription API (default https://api.openai.com). */
  OPENAI_BASE_URL?: string;
  /** Transcription model (default whisper-1). */
  OPENAI_TRANSCRIBE_MODEL?: string;
  /** `verbose_json` (default: segments and language) or `json` for servers without it. */
  OPENAI_TRANSCRIBE_RESPONSE_FORMAT?: string;

  /** Secret: what the owner gives a device once to pair it. */
  PAIRING_SECRET?: string;
  /** Secret: signs device tokens; rotating it revokes them all. Default: derived from PAIRING_SECRET. */
  TOKEN_SIGNING_SECRET?: string;
  /** Lifetime of a device token in days (default 90). */
  DEVICE_TOKEN_TTL_DAYS?: string;

  /** Comma-separated origins allowed to call the API cross-origin (the app's own is always allowed). */
  CORS_ORIGINS?: string;

  /** Requests per minute per device (default 30) and per IP address (default 120). */
  RATE_LIMIT_DEVICE_PER_MINUTE?: string;
  RATE_LIMIT_IP_PER_MINUTE?: string;
  /** Pairing attempts per IP address per hour (default 10): the pairing secret can't be guessed. */
  RATE_LIMIT_PAIR_PER_HOUR?: string;
  /** `auto` (default: binding, else Durable Object, else in-memory) or `memory` to force the fallback. */
  RATE_LIMIT_BACKEND?: string;
  /** Claude tokens (input + output) per device per UTC day (default 200000). */
  DAILY_TOKEN_BUDGET?: string;
  /** Seconds of transcribed audio per device per UTC day (default 3600). */
  DAILY_TRANSCRIBE_SECONDS?: string;

  /** Upstream timeouts in ms: response headers of a stream (10000), first byte of a stream (30000), whole non-streamed response (120000), silence mid-stream (30000). */
  UPSTREAM_CONNECT_TIMEOUT_MS?: string;
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS?: string;
  UPSTREAM_RESPONSE_TIMEOUT_MS?: string;
  UPSTREAM_IDLE_TIMEOUT_MS?: string;
  /** Retries before the first byte (default 2), backoff base and cap in ms (500, 8000), longest retry-after honoured (10000). */
  UPSTREAM_MAX_RETRIES?: string;
  UPSTREAM_BACKOFF_BASE_MS?: string;
  UPSTREAM_BACKOFF_MAX_MS?: string;
  UPSTREAM_MAX_RETRY_AFTER_MS?: string;
  /** Consecutive failures that open an upstream's circuit (default 5) and how long it stays open (30000 ms). */
  CIRCUIT_FAILURE_THRESHOLD?: string;
  CIRCUIT_COOLDOWN_MS?: string;

  /** `1` adds message and transcript text to the logs (never keys or tokens). Off by default. */
  LOG_DEBUG?: string;
}
