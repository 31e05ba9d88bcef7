import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // SPA: one index.html fallback; the worker serves it for every non-API navigation.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    files: { src: 'app' },
    alias: { $contract: 'app/lib/contract' },
    // The service worker is registered through workbox-window by a later issue; no Kit SW yet.
    serviceWorker: { register: false }
  }
};

export default config;
