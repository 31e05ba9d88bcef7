import Anthropic from '@anthropic-ai/sdk';
import { ChatRequestSchema, type ChatRequest } from '$contract';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { readJsonBody, validationError } from '../lib/body';
import { anthropicConfig, upstreamPolicy, type AnthropicConfig } from '../lib/config';
import { ApiError } from '../lib/errors';
import { guard, preparedBy, recordSpend } from '../lib/guard';
import { debugContent } from '../lib/observe';
import { callUpstream } from '../lib/upstream/call-upstream';
import { relaySse } from '../lib/upstream/sse-relay';

/** Largest accepted request body: enough for the longest allowed messages, no more. */
const MAX_BODY_BYTES = 512 * 1024;
const SERVICE = 'The AI service';

/**
 * `POST /api/chat`: a Messages API request, validated and held to policy (model allowlist,
 * max_tokens cap), forwarded to Anthropic with the server's key; the SSE stream is piped to the
 * client as it comes, and a failure mid-stream ends it with an `error` event, never truncated.
 */
const chat = new Hono<AppEnv>();

/** A chat request read, validated and held to policy: what goes upstream, and with which config. */
interface PreparedChat {
  config: AnthropicConfig;
  /** The request as the client sent it. */
  request: ChatRequest;
  /** What is sent upstream: the model resolved, max_tokens capped, the device as the user id. */
  body: ChatRequest;
}

// Also answers at `/api/chat/v1/messages`, so the official SDK with `baseURL: <worker>/api/chat`
// (and the device token as its key) works unchanged as a client. The body is read and checked
// while the guard counts the limits (it depends on none of them).
chat.post('/', guard('anthropic', 'tokens', prepareChat), (c) => handleChat(c));
chat.post('/v1/messages', guard('anthropic', 'tokens', prepareChat), (c) => handleChat(c));

async function prepareChat(c: Context<AppEnv>): Promise<PreparedChat> {
  const parsed = v.safeParse(ChatRequestSchema, await readJsonBody(c, MAX_BODY_BYTES));
  if (!parsed.success) throw validationError(parsed.issues);
  const config = anthropicConfig(c.env);
  if (!config) {
    throw new ApiError(
      503,
      'upstream_not_configured',
      'No Anthropic API key is configured on the server.',
      {},
      'api_error'
    );
  }
  const request = parsed.output;
  const model = request.model ?? config.defaultModel;
  if (!config.allowedModels.has(model)) {
    throw new ApiError(400, 'model_not_allowed', `The model "${model}" is not allowed here.`);
  }
  const device = c.get('device');
  const body: ChatRequest = {
    ...request,
    model,
    max_tokens: Math.min(request.max_tokens, config.maxTokensCap),
    // Anthropic's abuse tooling wants an opaque per-user id; the device id is exactly that.
    ...(device ? { metadata: { user_id: device.deviceId } } : {})
  };
  return { config, request, body };
}

async function handleChat(c: Context<AppEnv>): Promise<Response> {
  const { config, request, body } = preparedBy(c, prepareChat);
  const log = c.get('log');
  log.upstream = 'anthropic';
  if (debugContent(c.env)) log.content = lastUserText(request);
  const policy = upstreamPolicy(c.env);
  const stream = body.stream === true;
  const result = await callUpstream(
    log,
    {
      name: 'anthropic',
      policy,
      request: () => upstreamRequest(config, body),
      signal: c.req.raw.signal,
      stream
    },
    SERVICE
  );
  if (!result) return new Response(null, { status: 499 });

  if (!stream) {
    const message = JSON.parse(new TextDecoder().decode(result.body)) as {
      usage?: { input_tokens?: number; output_tokens?: number };
      content?: { text?: string }[];
    };
    log.inputTokens = message.usage?.input_tokens ?? 0;
    log.outputTokens = message.usage?.output_tokens ?? 0;
    log.outcome = 'complete';
    if (log.content !== undefined) log.content += ` → ${message.content?.[0]?.text ?? ''}`;
    c.executionCtx.waitUntil(recordSpend(c, log.inputTokens + log.outputTokens, 0));
    return new Response(result.body, {
      status: 200,
      headers: { 'content-type': 'application/json' }
    });
  }

  const relay = relaySse(result, {
    requestId: c.get('requestId'),
    idleTimeoutMs: policy.idleTimeoutMs,
    collectText: log.content !== undefined
  });
  log.pending = relay.done.then(async (summary) => {
    log.outcome = summary.outcome;
    log.streamMs = summary.streamMs;
    log.inputTokens = summary.inputTokens;
    log.outputTokens = summary.outputTokens;
    if (log.content !== undefined) log.content += ` → ${summary.text}`;
    await recordSpend(c, summary.inputTokens + summary.outputTokens, 0);
  });
  return new Response(relay.body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no'
    }
  });
}

let client: { key: string; baseURL: string; sdk: Anthropic } | null = null;

/**
 * The upstream request, built by the official SDK exactly as it would send it (URL, auth header,
 * `anthropic-version`, client headers, body). The SDK's own transport is not used: the worker
 * sends it through `fetchUpstream`, which owns timeouts, retries until the first byte and the
 * circuit breaker, and relays the SSE bytes instead of parsing them.
 */
async function upstreamRequest(config: AnthropicConfig, body: ChatRequest): Promise<Request> {
  if (client?.key !== config.apiKey || client.baseURL !== config.baseURL) {
    const sdk = new Anthropic({ apiKey: config.apiKey, baseURL: config.baseURL, maxRetries: 0 });
    client = { key: config.apiKey, baseURL: config.baseURL, sdk };
  }
  const { url, req } = await client.sdk.buildRequest({
    method: 'post',
    path: '/v1/messages',
    body,
    stream: body.stream === true
  });
  return new Request(url, req);
}

function lastUserText(request: ChatRequest): string {
  const last = request.messages.filter((m) => m.role === 'user').at(-1)?.content;
  const text = typeof last === 'string' ? last : (last?.map((b) => b.text).join(' ') ?? '');
  return text.slice(0, 2000);
}

export default chat;
