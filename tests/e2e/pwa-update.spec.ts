/**
 * The update flow: a new service worker version shows "update available"; while a recording runs
 * the reload is refused (the recording is not cut off); after the recording is saved, consenting
 * reloads into the new version and the capture is still there.
 *
 * The "new version" is the built service worker with one byte-different comment appended (any
 * byte change is a new version to the browser); the original is restored afterwards.
 */
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bareUrl, configuredUrl } from './helpers';
import { waitForServiceWorker } from './pwa-helpers';

const swFile = resolve(import.meta.dirname, '../../build/service-worker.js');
let original = '';

test.beforeAll(() => {
  original = readFileSync(swFile, 'utf8');
});
test.afterAll(async () => {
  writeFileSync(swFile, original);
  // wrangler dev reloads when an asset changes; later tests need both servers back, serving the
  // original file, for several checks in a row.
  let good = 0;
  for (let i = 0; i < 240 && good < 4; i++) {
    const ok = await Promise.all(
      [bareUrl(), configuredUrl()].map(async (base) => {
        try {
          const health = await fetch(`${base}/api/health`);
          const sw = await fetch(`${base}/service-worker.js`);
          return health.ok && (await sw.text()) === original;
        } catch {
          return false;
        }
      })
    );
    good = ok.every(Boolean) ? good + 1 : 0;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(good, 'the servers came back after the update test').toBe(4);
});

test('a new version waits for consent, never interrupts a recording, then reloads into the update', async ({
  page
}) => {
  await page.goto(bareUrl());
  await waitForServiceWorker(page);
  const firstWorker = await page.evaluate(
    async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL
  );
  expect(firstWorker).toContain('/service-worker.js');

  writeFileSync(swFile, `${original}\n// new version ${Date.now()}\n`);
  // The app checks when it becomes visible and hourly; the settings page can check at once.
  await page.goto(`${bareUrl()}/settings`);
  await expect(async () => {
    await page.getByRole('button', { name: 'Check for updates' }).click();
    await expect(page.getByTestId('update-available')).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });

  await page.getByRole('link', { name: '← Back to captures' }).click();
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  await page.getByRole('button', { name: 'Reload to update' }).click();
  await expect(page.getByTestId('update-blocked')).toContainText(
    'Finish or stop your recording first'
  );
  await page.waitForTimeout(2_000);
  // Still recording: nothing reloaded the page.
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByTestId('capture-item')).toHaveCount(1);

  const reloaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Reload to update' }).click();
  await reloaded;
  await expect(page.getByTestId('update-available')).toHaveCount(0);
  await expect(page.getByTestId('capture-item')).toHaveCount(1);
  const script = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return registration?.waiting === null && registration.active
      ? (await fetch(registration.active.scriptURL)).text()
      : '';
  });
  expect(script).toContain('// new version');
});
