import type { HealthResponse } from '$contract';
import { Hono } from 'hono';
import pkg from '../../../package.json';
import type { AppEnv } from '../env';
import {
  defaultModel,
  holdsKeys,
  textSetting,
  transcribeModel,
  upstreamPolicy
} from '../lib/config';
import { breakerFor, type UpstreamName } from '../lib/upstream/circuit';

/** `GET /api/health`: liveness, configured upstreams and their circuits. Never returns a secret. */
const health = new Hono<AppEnv>();

health.get('/', (c) => {
  const policy = upstreamPolicy(c.env);
  const circuit = (name: UpstreamName) =>
    breakerFor(name, policy.failureThreshold, policy.cooldownMs).state();
  const pairing = Boolean(textSetting(c.env.PAIRING_SECRET));
  const body: HealthResponse = {
    status: 'ok',
    version: pkg.version,
    upstreams: {
      anthropic: {
        configured: Boolean(textSetting(c.env.ANTHROPIC_API_KEY)),
        defaultModel: defaultModel(c.env),
        circuit: circuit('anthropic')
      },
      transcription: {
        configured: Boolean(textSetting(c.env.OPENAI_API_KEY)),
        model: transcribeModel(c.env),
        circuit: circuit('transcription')
      }
    },
    accessTokenRequired: pairing || holdsKeys(c.env),
    pairing: { configured: pairing }
  };
  return c.json(body, 200, { 'cache-control': 'no-store' });
});

export default health;
