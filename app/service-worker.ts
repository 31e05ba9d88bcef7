/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker (Workbox). The app shell (Kit's build output, static files, the SPA page) is
 * precached per version; model files and the onnxruntime wasm are cached at run time, cache first,
 * in their own versioned caches (they are large and served whole by the worker's /models/* and
 * /ort/* routes even when stored as parts, so the URLs requested are the whole files); /api/* is
 * never cached. A new version waits until the page asks it to take over (the person consented and
 * nothing is being recorded), then the page reloads.
 */
import { build, files, version } from '$service-worker';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim, setCacheNameDetails } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import {
  MODEL_CACHE,
  ORT_CACHE,
  SHELL_CACHE_PREFIX,
  isStaleVersionedCache
} from './lib/pwa/cache-names';

declare const self: ServiceWorkerGlobalScope;

setCacheNameDetails({ prefix: SHELL_CACHE_PREFIX, precache: 'shell', runtime: 'runtime' });

// Hashed build files never change (revision null); everything else is tied to this version. The
// SPA's one page is '/' (the static adapter's fallback), which serves every route offline.
precacheAndRoute([
  ...build.map((url) => ({ url, revision: url.includes('/immutable/') ? null : version })),
  ...files.map((url) => ({ url, revision: version })),
  { url: '/', revision: version }
]);
cleanupOutdatedCaches();

const sameOrigin = (url: URL) => url.origin === self.location.origin;

registerRoute(({ url }) => sameOrigin(url) && url.pathname.startsWith('/api/'), new NetworkOnly());

// Models: a 404 is cached too, so Transformers.js's probes for optional files get the same answer
// offline as online.
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith('/models/'),
  new CacheFirst({
    cacheName: MODEL_CACHE,
    plugins: [new CacheableResponsePlugin({ statuses: [200, 404] })]
  })
);
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith('/ort/'),
  new CacheFirst({
    cacheName: ORT_CACHE,
    plugins: [new CacheableResponsePlugin({ statuses: [200] })]
  })
);

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/'), {
    denylist: [/^\/api\//, /^\/models\//, /^\/ort\//]
  })
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (isStaleVersionedCache(name)) await caches.delete(name);
    })()
  );
});

// The first install takes control at once, so the first visit is already offline-capable; later
// versions wait for the page's SKIP_WAITING (see above).
clientsClaim();
