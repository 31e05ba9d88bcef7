/**
 * Nothing is lost: audio is written to IndexedDB while it is recorded, so a reload mid-recording
 * leaves an interrupted recording the app offers to finish — with its audio and a transcript.
 * Also: an audio file imported from disk becomes a transcribed capture.
 */
import { expect, test } from '@playwright/test';
import { SPEECH_CLIP } from './playwright.config';
import { configuredUrl, waitForModel } from './helpers';

test('a reload mid-recording leaves a recording that can be finished as a capture', async ({
  page
}) => {
  // Two model loads (before and after the reload) and a transcription: slow on a busy machine.
  test.setTimeout(300_000);
  await page.goto(configuredUrl());
  await waitForModel(page);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  // "And so my fellow Americans, ask not …" is spoken in the first seconds.
  await page.waitForTimeout(7000);
  await page.reload();

  const prompt = page.getByTestId('recovery-prompt');
  await expect(prompt).toHaveCount(1);
  await expect(prompt).toContainText('was interrupted');
  await expect(page.getByTestId('capture-item')).toHaveCount(0);
  await waitForModel(page);
  await prompt.getByRole('button', { name: 'Finish capture' }).click();
  await expect(prompt).toHaveCount(0);
  const item = page.getByTestId('capture-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(/fellow/i, { timeout: 120_000 });
  await item.click();
  // The recovered capture has its audio (at least the 5 s before the reload, give or take 1 s).
  const seconds = await page.locator('audio').evaluate(
    (audio: HTMLAudioElement) =>
      new Promise<number>((resolve) => {
        if (audio.readyState >= 1) resolve(audio.duration);
        else audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
      })
  );
  expect(seconds).toBeGreaterThan(4);
  await page.reload();
  await expect(page.getByTestId('recovery-prompt')).toHaveCount(0);
});

test('an imported audio file becomes a transcribed capture', async ({ page }) => {
  await page.goto(configuredUrl());
  await waitForModel(page);
  await page.getByTestId('import-input').setInputFiles(SPEECH_CLIP);
  await expect(page.getByTestId('import-job')).toHaveAttribute('data-stage', 'done', {
    timeout: 90_000
  });
  const item = page.getByTestId('capture-item').first();
  await expect(item).toContainText(/ask not what your country/i);
});
