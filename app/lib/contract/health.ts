/** State of an upstream's circuit breaker: `open` means calls are refused without trying. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** The `GET /api/health` response, shared by the worker and the app. */
export interface HealthResponse {
  status: 'ok';
  /** The app/worker version (package.json version). */
  version: string;
  upstreams: {
    /** Claude through the Anthropic Messages API. */
    anthropic: { configured: boolean; defaultModel: string; circuit: CircuitState };
    /** The OpenAI-compatible transcription fallback. */
    transcription: { configured: boolean; model: string; circuit: CircuitState };
  };
  /** Whether `/api/*` calls need a device token (pairing configured, or any key configured). */
  accessTokenRequired: boolean;
  /** Whether this server can pair devices (the owner set a pairing secret). */
  pairing: { configured: boolean };
}
