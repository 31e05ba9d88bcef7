/** The `GET /api/health` response, shared by the worker and the app. */
export interface HealthResponse {
  status: 'ok';
  /** The app/worker version (package.json version). */
  version: string;
  upstreams: {
    /** Claude through the Anthropic Messages API. */
    anthropic: { configured: boolean; defaultModel: string };
    /** The OpenAI-compatible transcription fallback. */
    transcription: { configured: boolean };
  };
  /** Whether `/api/*` calls need an access token. */
  accessTokenRequired: boolean;
}
