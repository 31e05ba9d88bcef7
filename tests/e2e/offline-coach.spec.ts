/** The embedded default: no API keys anywhere, the partner is the on-device coach, labelled so. */
import { expect, test } from '@playwright/test';
import { bareUrl, recordClip, waitForModel } from './helpers';

test('with no keys configured, the offline coach asks a question from the transcript', async ({
  page
}) => {
  await page.goto(bareUrl());
  await expect(page.getByTestId('partner-status')).toHaveText('Partner: offline coach');
  await waitForModel(page);
  await recordClip(page);
  await page.getByTestId('capture-item').first().click();
  await page.getByRole('button', { name: 'Ask' }).click();
  const reply = page.getByTestId('reply');
  await expect(reply).toHaveAttribute('data-source', 'offline-coach');
  await expect(reply).toContainText('Offline coach');
  await expect(reply).toContainText('not AI');
  await expect(reply.locator('p')).toHaveText(/“(country|fellow|americans?)”.*\?$/i);
  await expect(page.getByTestId('ask-notice')).toContainText(
    'Claude is not configured on this server'
  );
});
