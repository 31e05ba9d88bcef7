import { createMiddleware } from 'hono/factory';
import { setMetric } from 'hono/timing';
import type { AppEnv } from '../env';
import type { EnvVars } from '../env-vars';
import { writeRequestLog, type RequestLog } from './request-log';

export type { RequestLog };

/** Whether the operator asked for message and transcript text in the logs. */
export function debugContent(env: EnvVars): boolean {
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
