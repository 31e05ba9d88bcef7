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
    // Tests that drive worker modules written against the Workers runtime's types are checked
    // with tests/worker/runtime/tsconfig.json, not with the app's DOM types.
    typescript: {
      config: (ts) => ({
        ...ts,
        exclude: [...(ts.exclude ?? []), '../tests/worker/runtime/**']
      })
    },
    // app/service-worker.ts (Workbox) is registered by app/lib/pwa/sw-registration.ts through
    // workbox-window, which drives the "update available" flow. Models and the onnxruntime wasm in
    // static/ are not precached: the service worker caches them at run time in their own caches.
    // models/status.json (what this deployment provisioned) is small and belongs to the version.
    serviceWorker: {
      register: false,
      // _headers is Cloudflare configuration, never served.
      files: (file) =>
        (file === 'models/status.json' || !/^(models|ort)\//.test(file)) &&
        !/(^_headers$|\.DS_Store$)/.test(file)
    }
  }
};

export default config;
