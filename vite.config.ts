import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  worker: { format: 'es' },
  resolve: {
    // onnxruntime-web's default entry embeds a URL to its 27 MB wasm, which Vite would copy into the
    // build (over the 25 MiB asset limit, and never used: the app loads the wasm from /ort/).
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions]
  },
  // Transformers.js and onnxruntime-web load their wasm at run time from /ort/; pre-bundling
  // them in dev breaks those dynamic imports.
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    // The plugin-timing report is noise in CI logs; `vite build --debug` still profiles.
    rolldownOptions: { checks: { bundlerTimings: false } }
  },
  server: {
    // Same headers as production (static/_headers) so threads and SharedArrayBuffer behave alike.
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp'
    },
    proxy: { '/api': 'http://127.0.0.1:8787' }
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node'
        }
      },
      {
        extends: true,
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000
        }
      }
    ]
  }
});
