import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './env';
import { ApiError, onError } from './lib/errors';
import { logEvent } from './lib/log';
import chat from './routes/chat';
import health from './routes/health';
import largeAssets from './routes/large-assets';

/**
 * The only server: a thin proxy in front of Claude (and later the transcription fallback), which
 * also serves the built app. Static files go straight to Workers Static Assets; this code runs
 * for `/api/*`, `/models/*` and `/ort/*` only (see `run_worker_first` in wrangler.toml).
 */
const app = new Hono<AppEnv>();

app.use('/api/*', requestId({ limitLength: 64 }));
app.use('/api/*', async (c, next) => {
  const started = Date.now();
  await next();
  logEvent('info', {
    requestId: c.get('requestId'),
    method: c.req.method,
    route: c.req.routePath,
    status: c.res.status,
    latencyMs: Date.now() - started
  });
});

app.route('/api/health', health);
app.route('/api/chat', chat);
app.route('/models', largeAssets);
app.route('/ort', largeAssets);

app.all('/api/*', () => {
  throw new ApiError(404, 'not_found', 'No such API route.');
});
app.notFound((c) => c.env.ASSETS.fetch(c.req.raw));
app.onError(onError);

export default app;
