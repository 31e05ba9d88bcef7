/** A denied microphone permission is explained in words, with its stable code. */
import { expect, test } from '@playwright/test';
import { configuredUrl } from './helpers';

test('denied microphone permission shows a clear message', async ({ page }) => {
  await page.goto(configuredUrl());
  await page.getByRole('button', { name: 'Start recording' }).click();
  const error = page.getByTestId('mic-error');
  await expect(error).toHaveAttribute('data-code', 'mic_denied');
  await expect(error).toContainText('Microphone access was denied');
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled();
});
