/**
 * Runs the harness page in headless Chromium (Debian's, never a downloaded one): builds it with
 * Vite into node_modules/.cache, serves it on 127.0.0.1 together with the provisioned models,
 * onnxruntime's wasm and the eval clips, with or without cross-origin isolation (COOP/COEP),
 * which decides whether onnxruntime-web may use threads.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'vite';
import { ortPinnedInputs } from '../../scripts/lib/vite-ort-pinned-inputs';
import { SPEECH_DIR, root } from './node-runtime';

// Under node_modules/.cache: git-ignored, and outside every linter's and formatter's view.
const OUT = join(root, 'node_modules/.cache/lva-asr-harness');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.wav': 'audio/wav',
  '.txt': 'text/plain'
};

/** Builds the harness (app workers included) once per run. */
export async function buildHarness(): Promise<void> {
  await build({
    configFile: false,
    root: join(root, 'tests/asr-eval/harness'),
    base: '/',
    logLevel: 'warn',
    plugins: [ortPinnedInputs()],
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm', 'module', 'browser', 'default'] },
    worker: { format: 'es', plugins: () => [ortPinnedInputs()] },
    build: { outDir: OUT, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 }
  });
}

function serve(isolated: boolean): Promise<Server> {
  const mounts: [string, string][] = [
    ['/models/', join(root, 'static/models')],
    ['/ort/', join(root, 'static/ort')],
    ['/clips/', SPEECH_DIR],
    ['/', OUT]
  ];
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const [prefix, dir] = mounts.find(([p]) => url.startsWith(p))!;
    let path = normalize(join(dir, url.slice(prefix.length) || 'index.html'));
    if (!path.startsWith(resolve(dir))) path = '';
    if (!path || !existsSync(path) || statSync(path).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': statSync(path).size,
      ...(isolated
        ? {
            'cross-origin-opener-policy': 'same-origin',
            'cross-origin-embedder-policy': 'require-corp'
          }
        : {})
    });
    createReadStream(path).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/** An open harness page. */
export interface Harness {
  page: Page;
  close(): Promise<void>;
}

/** Opens the harness (built beforehand) in a fresh headless Chromium. */
export async function openHarness(isolated: boolean): Promise<Harness> {
  const server = await serve(isolated);
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu'
    ]
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[chromium] ${e.message}`));
  const { port } = server.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return {
    page,
    close: async () => {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  };
}
