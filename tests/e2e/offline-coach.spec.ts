/** The embedded default: no API keys anywhere, the partner is the on-device coach, labelled so. */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bareUrl, recordClip, waitForModel } from './helpers';

const provisionStatus = () =>
  JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../../build/models/status.json'), 'utf8')
  ) as {
    models: { id: string; available: boolean; note: string | null }[];
  };

test('with no keys configured, the offline coach asks a question from the transcript', async ({
  page
}) => {
  await page.goto(bareUrl());
  await expect(page.getByTestId('partner-status')).toHaveText('Partner: offline coach');
  // Models that could not be provisioned (real MiniLM weights, offline) are named, not hidden.
  const missing = provisionStatus().models.filter((m) => !m.available);
  await expect(page.getByTestId('model-note')).toHaveCount(missing.length);
  for (const model of missing) await expect(page.getByText(model.note ?? '')).toBeVisible();
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
