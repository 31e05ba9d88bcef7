/** Silence (a quiet room's faint noise) never turns into words, in any record mode. */
import { expect, test } from '@playwright/test';
import { configuredUrl, waitForModel } from './helpers';

test('recording only silence creates a capture with no text, and hands-free creates none', async ({
  page
}) => {
  await page.goto(configuredUrl());
  await waitForModel(page);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  await page.waitForTimeout(6000);
  await expect(page.getByTestId('live-segment')).toHaveCount(0);
  await expect(page.getByTestId('live-partial')).toHaveCount(0);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  const item = page.getByTestId('capture-item');
  await expect(item).toHaveCount(1);
  await expect(item).not.toContainText('transcribing', { timeout: 60_000 });
  await expect(item).toContainText('Untitled capture');
  await item.click();
  await expect(page.getByText('No speech was detected in this recording.')).toBeVisible();
  await expect(page.getByLabel('Transcript')).toHaveValue('');

  await page.goBack();
  await page.getByLabel('Hands-free').check();
  await page.getByRole('button', { name: 'Start listening' }).click();
  await page.waitForTimeout(5000);
  await page.getByRole('button', { name: 'Stop listening' }).click();
  await expect(page.getByRole('button', { name: 'Start listening' })).toBeVisible();
  await expect(item).toHaveCount(1);
});
