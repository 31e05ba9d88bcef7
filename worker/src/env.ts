import type { EnvVars } from './env-vars';
import type { RequestLog } from './lib/request-log';
import type { DeviceClaims } from './lib/tokens';

/** Bindings and settings the worker reads (settings: see {@link EnvVars}). */
export interface Env extends EnvVars {
  /** The built SPA (Workers Static Assets). */
  ASSETS: Fetcher;
  /** Durable Object namespace for rate limits and daily budgets (see wrangler.toml). */
  LIMITER?: DurableObjectNamespace<import('./lib/limits/limiter-object').Limiter>;
  /** Optional Cloudflare Rate Limiting bindings; when bound they replace the Durable Object. */
  RATE_LIMIT_DEVICE?: RateLimit;
  RATE_LIMIT_IP?: RateLimit;
  /** Optional Workers Analytics Engine dataset: one datapoint per API request. */
  ANALYTICS?: AnalyticsEngineDataset;
}

/** Hono generics for this worker. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: RequestLog;
    device: DeviceClaims | null;
    /** The result of the guard's `prepare` step, with the step itself (see `preparedBy`). */
    prepared?: { by: unknown; value: unknown };
  };
}
