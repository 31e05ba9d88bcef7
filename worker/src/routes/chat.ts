import Anthropic from '@anthropic-ai/sdk';
import { ChatRequestSchema } from '$contract';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { requireAccess } from '../lib/access';
import { readJsonBody } from '../lib/body';
import { anthropicConfig } from '../lib/config';
import { ApiError } from '../lib/errors';
import { upstreamError } from '../lib/upstream-errors';

/** Largest accepted request body: enough for the longest allowed messages, no more. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * `POST /api/chat`: a Messages API request, validated and held to policy (model allowlist,
 * max_tokens cap), forwarded to Anthropic with the server's key; the SSE stream is relayed as is.
 */
const chat = new Hono<AppEnv>();

// Also answers at `/api/chat/v1/messages`, so the official SDK with `baseURL: <worker>/api/chat`
// (and the app's access token as its key) works unchanged as a client.
chat.post('/', requireAccess, (c) => handleChat(c));
chat.post('/v1/messages', requireAccess, (c) => handleChat(c));

async function handleChat(c: Context<AppEnv>): Promise<Response> {
  const parsed = v.safeParse(ChatRequestSchema, await readJsonBody(c, MAX_BODY_BYTES));
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') ?? 'body';
    throw new ApiError(400, 'invalid_request', `${where}: ${issue.message}`);
  }
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
  const body = { ...request, model, max_tokens: Math.min(request.max_tokens, config.maxTokensCap) };
  const client = new Anthropic({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    maxRetries: 2,
    timeout: 60_000
  });
  const signal = c.req.raw.signal;
  try {
    if (body.stream) {
      const upstream = await client.messages
        .create({ ...body, stream: true }, { signal })
        .asResponse();
      return new Response(upstream.body, {
        status: 200,
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-request-id': c.get('requestId')
        }
      });
    }
    const message = await client.messages.create({ ...body, stream: false }, { signal });
    return c.json(message);
  } catch (err) {
    throw upstreamError(err);
  }
}

export default chat;
