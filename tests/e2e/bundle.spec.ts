/**
 * The browser bundle never carries a secret: no Anthropic SDK, no key-shaped strings, no pairing
 * secret, no .dev.vars value (keys, PAIRING_SECRET, TOKEN_SIGNING_SECRET).
 */
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { E2E_PAIRING_SECRET, E2E_UPSTREAM_KEY } from './global-setup';

const root = resolve(import.meta.dirname, '../..');

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'models' && name !== 'ort') yield* files(path);
    } else if (/\.(js|mjs|html|json|css|txt)$/.test(name)) yield path;
  }
}

test('the client bundle holds no secret', () => {
  const secrets = [E2E_UPSTREAM_KEY, E2E_PAIRING_SECRET];
  const devVars = join(root, '.dev.vars');
  if (existsSync(devVars)) {
    for (const line of readFileSync(devVars, 'utf8').split('\n')) {
      const value = /^\s*[A-Z_]+\s*=\s*"?([^"\s]{8,})"?/.exec(line)?.[1];
      if (value) secrets.push(value);
    }
  }
  const bundle = [...files(join(root, 'build'))];
  expect(bundle.length).toBeGreaterThan(5);
  for (const file of bundle) {
    const text = readFileSync(file, 'utf8');
    for (const secret of secrets) expect(text, file).not.toContain(secret);
    expect(text, file).not.toMatch(/sk-ant-[A-Za-z0-9_-]{10,}/);
    expect(text, file).not.toContain('x-stainless-');
  }
});

/**
 * The ASR worker's onnxruntime-web copies the decoder's cross-attention inputs into wasm memory once
 * per window, not at every token (app/lib/asr/ort-pinned-inputs.ts). Vite bundles workers with
 * their own plugin list, so the patch can go missing from the one bundle it is for.
 */
test("the ASR worker's onnxruntime-web carries the pinned-input patch", () => {
  const dir = join(root, 'build/_app/immutable/workers');
  const workers = readdirSync(dir).filter((name) => /^asr\.worker-.*\.js$/.test(name));
  expect(workers).toHaveLength(1);
  const code = readFileSync(join(dir, workers[0]!), 'utf8');
  // The hook's own error message travels with it; the unpatched copy would still be there too.
  // (Booleans, not toContain: a failure would print the whole 500 KB bundle.)
  expect(code.includes('Out of wasm memory for an input tensor.'), 'hook bundled').toBe(true);
  const unpatchedCopy =
    /(\w+)=(\w+)\.byteLength,(\w+)=(\w+)\._malloc\(\1\),\w+\.push\(\3\),\4\.HEAPU8\.set\(new Uint8Array\(\2\.buffer,\2\.byteOffset,\1\),\3\)\}\}/;
  expect(unpatchedCopy.test(code), 'unpatched input copy left').toBe(false);
});
