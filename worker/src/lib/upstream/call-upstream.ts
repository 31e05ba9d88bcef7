import type { RequestLog } from '../request-log';
import { upstreamError } from '../upstream-errors';
import { fetchUpstream, type UpstreamCall, type UpstreamResult } from './fetch-upstream';
import { ClientAborted } from './retry';

/**
 * One upstream call as every route makes it: through the resilient transport, with its status,
 * time and attempts in the request log. Returns null when the client went away (the route answers
 * 499); an upstream's final error answer is thrown in the worker's error shape.
 */
export async function callUpstream(
  log: RequestLog,
  call: UpstreamCall,
  service: string
): Promise<UpstreamResult | null> {
  let result: UpstreamResult;
  try {
    result = await fetchUpstream(call);
  } catch (err) {
    if (err instanceof ClientAborted) {
      log.outcome = 'client_aborted';
      return null;
    }
    throw err;
  }
  log.upstreamStatus = result.status;
  log.upstreamMs = result.upstreamMs;
  log.attempts = result.attempts;
  log.retries = result.attempts - 1;
  if (result.status < 200 || result.status >= 300) throw upstreamError(result, service);
  return result;
}
