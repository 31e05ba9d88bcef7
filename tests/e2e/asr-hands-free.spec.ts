/**
 * Hands-free: the voice detector decides where each utterance starts and ends. The fake microphone
 * plays three real utterances separated by 2.5 s pauses; each becomes its own capture.
 */
import { expect, test } from '@playwright/test';
import { PAUSED_UTTERANCES } from './audio-fixtures';
import { configuredUrl, waitForModel } from './helpers';

test('hands-free mode makes one capture per utterance', async ({ page }) => {
  await page.goto(configuredUrl());
  await waitForModel(page);
  await page.getByLabel('Hands-free').check();
  await page.getByRole('button', { name: 'Start listening' }).click();
  await expect(page.getByRole('button', { name: 'Stop listening' })).toBeVisible();
  const items = page.getByTestId('capture-item');
  // Each utterance is saved when its pause is detected, while the microphone stays open.
  await expect(items).toHaveCount(PAUSED_UTTERANCES.length, { timeout: 120_000 });
  await expect(page.getByTestId('live-segment')).toHaveCount(PAUSED_UTTERANCES.length);
  // The rest of the input is silence: no further capture appears before listening stops.
  await page.waitForTimeout(3000);
  await page.getByRole('button', { name: 'Stop listening' }).click();
  await expect(page.getByRole('button', { name: 'Start listening' })).toBeVisible();
  await expect(items).toHaveCount(PAUSED_UTTERANCES.length);
  // Newest first: the list shows the utterances in reverse order, each with its own words.
  const texts = await items.allTextContents();
  PAUSED_UTTERANCES.forEach((u, i) =>
    expect(texts[PAUSED_UTTERANCES.length - 1 - i]).toMatch(u.word)
  );
  // Nothing is left over as an interrupted recording once the app says the last words are saved.
  await expect(page.getByTestId('recording-finishing')).toHaveCount(0, { timeout: 60_000 });
  await page.reload();
  await expect(items).toHaveCount(PAUSED_UTTERANCES.length);
  await expect(page.getByTestId('recovery-prompt')).toHaveCount(0);
});
