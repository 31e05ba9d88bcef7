import { createMiddleware } from 'hono/factory';
import { setMetric } from 'hono/timing';
import type { AppEnv, Env } from '../env';
import { logEvent } from './log';

/**
 * What one API request did, filled in by the middleware and the routes and written once as a
 * JSON log line (and an Analytics Engine datapoint). Never holds a key, a token or, unless
 * LOG_DEBUG=1, any message or transcript text.
 */
export interface RequestLog {
  requestId: string;
  method: string;
  route: string;
  status?: number;
  code?: string;
  deviceId?: string;
  upstream?: 'anthropic' | 'transcription';
  upstreamStatus?: number;
  /** Time until the upstream's first byte (headers for non-streamed calls), in ms. */
  upstreamMs?: number;
  attempts?: number;
  retries?: number;
  inputTokens?: number;
  outputTokens?: number;
  audioSeconds?: number;
  /** How a stream ended: complete, error_event (upstream or synthesized), client_aborted. */
  outcome?: string;
  streamMs?: number;
  latencyMs?: number;
  /** Only with LOG_DEBUG=1. */
  content?: string;
  /** Resolved when a streamed body has finished; the log line waits for it. */
  pending?: Promise<unknown>;
}

/** Whether the operator asked for message and transcript text in the logs. */
export function debugContent(env: Env): boolean {
  return env.LOG_DEBUG?.trim() === '1';
}

/**
 * Per-request log, `Server-Timing` (`proxy` = time spent in the worker before the response
 * started, `upstream` = upstream time to first byte; hono/timing adds `total`), and the log
 * line, written when the response body has finished for streams.
 */
export const observe = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const log: RequestLog = {
    requestId: c.get('requestId'),
    method: c.req.method,
    route: new URL(c.req.url).pathname
  };
  c.set('log', log);
  await next();
  log.status = c.res.status;
  log.latencyMs = Date.now() - started;
  if (log.upstreamMs !== undefined) {
    setMetric(c, 'upstream', log.upstreamMs, 'upstream first byte');
    setMetric(c, 'proxy', Math.max(0, log.latencyMs - log.upstreamMs), 'worker');
  } else {
    setMetric(c, 'proxy', log.latencyMs, 'worker');
  }
  const finish = () => writeRequestLog(c.env, log);
  if (log.pending) c.executionCtx.waitUntil(log.pending.then(finish, finish));
  else finish();
});

/** Writes the log line and, when the binding is present, an Analytics Engine datapoint. */
export function writeRequestLog(env: Env, log: RequestLog): void {
  const { pending: _pending, ...fields } = log;
  const status = log.status ?? 0;
  const level = status >= 500 && log.code !== 'upstream_not_configured' ? 'error' : 'info';
  logEvent(level, fields);
  env.ANALYTICS?.writeDataPoint(analyticsPoint(log));
}

/** The Analytics Engine datapoint of a request: route as index, figures as doubles. */
export function analyticsPoint(log: RequestLog): AnalyticsEngineDataPoint {
  return {
    indexes: [log.route.slice(0, 96)],
    blobs: [log.route, log.method, log.code ?? '', log.upstream ?? '', log.outcome ?? ''],
    doubles: [
      log.status ?? 0,
      log.latencyMs ?? 0,
      log.upstreamMs ?? 0,
      log.retries ?? 0,
      log.inputTokens ?? 0,
      log.outputTokens ?? 0,
      log.audioSeconds ?? 0
    ]
  };
}
