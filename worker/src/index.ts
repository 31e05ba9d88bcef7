import { Hono, type Context } from 'hono';
import { requestId } from 'hono/request-id';
import { timing } from 'hono/timing';
import type { AppEnv } from './env';
import { corsGuard, crossOriginAllowed } from './lib/cors';
import { ApiError } from './lib/errors';
import { onError } from './lib/on-error';
import { observe } from './lib/observe';
import chat from './routes/chat';
import health from './routes/health';
import largeAssets from './routes/large-assets';
import { deviceStatus, pair } from './routes/pair';
import transcribe from './routes/transcribe';

export { Limiter } from './lib/limits/limiter-object';

/**
 * The only server: a thin proxy in front of Claude and the transcription fallback, which also
 * serves the built app. Static files go straight to Workers Static Assets; this code runs for
 * `/api/*`, `/models/*` and `/ort/*` only (see `run_worker_first` in wrangler.toml).
 */
const app = new Hono<AppEnv>();

app.use('/api/*', requestId({ limitLength: 64 }));
app.use(
  '/api/*',
  timing({ crossOrigin: (c) => crossOriginAllowed(c as Context<AppEnv>) ?? false })
);
app.use('/api/*', observe);
app.use('/api/*', async (c, next) => {
  await next();
  // Also on responses a route built itself (streams), which bypass Hono's prepared headers.
  c.res.headers.set('x-request-id', c.get('requestId'));
  // Anthropic's own name for it: the SDK exposes it as `requestID` on results and errors.
  c.res.headers.set('request-id', c.get('requestId'));
  c.header('x-content-type-options', 'nosniff');
  if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
});
app.use('/api/*', corsGuard);

app.route('/api/health', health);
app.route('/api/pair', pair);
app.route('/api/device', deviceStatus);
app.route('/api/chat', chat);
app.route('/api/transcribe', transcribe);
app.route('/models', largeAssets);
app.route('/ort', largeAssets);

app.all('/api/*', () => {
  throw new ApiError(404, 'not_found', 'No such API route.');
});
app.notFound((c) => c.env.ASSETS.fetch(c.req.raw));
app.onError(onError);

export default app;
