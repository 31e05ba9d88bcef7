import { logEvent } from './log';

/** An Analytics Engine datapoint (the shape `writeDataPoint` takes). */
export interface DataPoint {
  indexes: string[];
  blobs: string[];
  doubles: number[];
}

/** The part of the environment the request log writes to. */
export interface AnalyticsEnv {
  ANALYTICS?: { writeDataPoint(point: DataPoint): void };
}

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

/** Writes the log line and, when the binding is present, an Analytics Engine datapoint. */
export function writeRequestLog(env: AnalyticsEnv, log: RequestLog): void {
  const fields: Partial<RequestLog> = { ...log };
  delete fields.pending;
  const status = log.status ?? 0;
  const level = status >= 500 && log.code !== 'upstream_not_configured' ? 'error' : 'info';
  logEvent(level, fields);
  env.ANALYTICS?.writeDataPoint(analyticsPoint(log));
}

/** The Analytics Engine datapoint of a request: route as index, figures as doubles. */
export function analyticsPoint(log: RequestLog): DataPoint {
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
