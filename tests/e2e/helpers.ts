import { expect, type Page } from '@playwright/test';

/** URL of the worker configured with the Anthropic stand-in. */
export const configuredUrl = () => process.env.LVA_E2E_URL ?? '';
/** URL of the worker with no keys (embedded default). */
export const bareUrl = () => process.env.LVA_E2E_BARE_URL ?? '';

/** Waits for the real Whisper model to be downloaded, loaded and warmed up. */
export async function waitForModel(page: Page): Promise<void> {
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 120_000 });
}

/**
 * Records the fake microphone's clip (11 s, played once from when the microphone opens) and
 * waits for its transcript to be listed.
 */
export async function recordClip(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  // Not an assertion on time: the clip simply has to finish playing into the microphone.
  await page.waitForTimeout(12_000);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByTestId('capture-item').first()).toContainText(/country/i, {
    timeout: 90_000
  });
}

/** Pairs this browser with the configured worker through the Settings panel, as a person would. */
export async function pairThroughUi(page: Page, secret: string): Promise<void> {
  await page.getByText('Settings and status').click();
  await page.getByLabel(/Pairing secret/).fill(secret);
  await page.getByRole('button', { name: 'Pair this device' }).click();
  await expect(page.getByTestId('pairing-status')).toContainText('This device is paired');
}
