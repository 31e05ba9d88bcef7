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
 * line, written after the response (for streams, once the body has finished).
 */
export const observe = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const log: RequestLog = {
    requestId: c.get('requestId'),
    method: c.req.method,
    route: c.req.path
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
  // The log line (and analytics datapoint) is nobody's reply: it is written after the response
  // has been handed back, once a stream has ended or on the next turn of the event loop.
  const finish = () => writeRequestLog(c.env, log);
  const after = log.pending ?? new Promise((resolve) => setTimeout(resolve, 0));
  c.executionCtx.waitUntil(after.then(finish, finish));
});
