import { sveltekit } from '@sveltejs/kit/vite';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { defaultClientConditions, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { ortPinnedInputs } from './scripts/lib/vite-ort-pinned-inputs.ts';

// PWA (issue 7): cache names shared by the service worker and the settings page. Model files are
// cached under a name derived from their pins (models/manifest.json) and the onnxruntime wasm under
// its package version, so a new app version keeps a downloaded model unless the model changed.
const pinHash = createHash('sha256').update(readFileSync('models/manifest.json')).digest('hex');
const ortVersion = (
  JSON.parse(readFileSync('node_modules/onnxruntime-web/package.json', 'utf8')) as {
    version: string;
  }
).version;
const appVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
  .version;

/**
 * Renders the PNG icons (git-ignored) from static/icons/icon.svg with sharp before Kit lists
 * static/ for the service worker: 192/512 "any", a 512 maskable (the glyph sits inside the 80 %
 * safe zone of a full-bleed background) and Apple's 180 touch icon. Skipped when up to date.
 */
const pwaIcons = (dir = 'static/icons'): Plugin => ({
  name: 'lva-pwa-icons',
  async config() {
    const svg = join(dir, 'icon.svg');
    const sizes = {
      'icon-192': 192,
      'icon-512': 512,
      'maskable-512': 512,
      'apple-touch-icon': 180
    };
    for (const [name, size] of Object.entries(sizes)) {
      const out = join(dir, `${name}.png`);
      if (existsSync(out) && statSync(out).mtimeMs >= statSync(svg).mtimeMs) continue;
      await sharp(readFileSync(svg), { density: 300 }).resize(size, size).png().toFile(out);
    }
  }
});

export default defineConfig({
  plugins: [pwaIcons(), ortPinnedInputs(), sveltekit()],
  define: {
    __LVA_CACHES__: JSON.stringify({
      models: `lva-models-${pinHash.slice(0, 12)}`,
      ort: `lva-ort-${ortVersion}`
    }),
    __LVA_APP_VERSION__: JSON.stringify(appVersion)
  },
  // Workers are bundled with their own plugin list: the ASR worker is where onnxruntime-web runs.
  worker: { format: 'es', plugins: () => [ortPinnedInputs()] },
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
