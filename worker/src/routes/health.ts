import type { HealthResponse } from '$contract';
import { Hono } from 'hono';
import pkg from '../../../package.json';
import type { AppEnv } from '../env';
import { defaultModel } from '../lib/config';

/** `GET /api/health`: liveness and which upstreams are configured. Never returns a secret. */
const health = new Hono<AppEnv>();

health.get('/', (c) => {
  const body: HealthResponse = {
    status: 'ok',
    version: pkg.version,
    upstreams: {
      anthropic: {
        configured: Boolean(c.env.ANTHROPIC_API_KEY?.trim()),
        defaultModel: defaultModel(c.env)
      },
      transcription: { configured: Boolean(c.env.OPENAI_API_KEY?.trim()) }
    },
    accessTokenRequired: Boolean(c.env.ACCESS_TOKEN)
  };
  return c.json(body, 200, { 'cache-control': 'no-store' });
});

export default health;
