/**
 * Airplane mode after the first load, in Chromium with the network cut (context.setOffline): the
 * app opens from the service worker, the real Whisper model loads from its cache, a recording is
 * transcribed and saved, search and browsing work (deep links too), and asking the partner falls
 * back to the on-device coach, saying the server is unreachable.
 */
import { expect, test } from '@playwright/test';
import { configuredUrl, recordClip, waitForModel } from './helpers';
import { waitForOfflineSpeech, waitForServiceWorker } from './pwa-helpers';

test('after the first load the app works offline: open, record, transcribe, save, search, browse, ask', async ({
  page,
  context
}) => {
  await page.goto(configuredUrl());
  await waitForServiceWorker(page);
  await waitForModel(page);
  await waitForOfflineSpeech(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await expect(page.getByTestId('partner-status')).toHaveText('Partner: offline coach');
  await waitForModel(page);

  await recordClip(page);
  await page.reload();
  await expect(page.getByTestId('capture-item')).toHaveCount(1);
  await page.getByPlaceholder('Search your captures').fill('country');
  await expect(page.getByTestId('capture-item')).toHaveCount(1);
  await page.getByTestId('capture-item').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/fellow|country/i);
  const captureUrl = page.url();

  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(page.getByTestId('reply')).toHaveAttribute('data-source', 'offline-coach');
  await expect(page.getByTestId('ask-notice')).toContainText('unreachable');

  // A deep link opens offline too (the service worker serves the app for every route).
  await page.goto(captureUrl);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/fellow|country/i);
  await page.goto(`${configuredUrl()}/settings`);
  await expect(page.getByTestId('offline-status')).toContainText('Works offline');
  await expect(
    page.locator('[data-model="Xenova/whisper-tiny"] [data-testid="model-offline"]')
  ).toBeVisible();
  await context.setOffline(false);
});
