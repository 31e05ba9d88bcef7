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
