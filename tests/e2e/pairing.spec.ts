/**
 * Pairing through the real UI against the configured worker: a wrong secret is explained, the
 * right one pairs the device (the token is kept in this browser across reloads and opens the
 * API), and unpairing forgets it.
 */
import { expect, test } from '@playwright/test';
import { E2E_PAIRING_SECRET } from './global-setup';
import { configuredUrl, pairThroughUi } from './helpers';

test('a device pairs with the owner’s secret, keeps its token, and can unpair', async ({
  page
}) => {
  await page.goto(configuredUrl());
  await page.getByText('Settings and status').click();
  await page.getByLabel(/Pairing secret/).fill('not-the-secret');
  await page.getByRole('button', { name: 'Pair this device' }).click();
  await expect(page.getByTestId('pairing-error')).toContainText('pairing secret is not right');

  await page.reload();
  await pairThroughUi(page, E2E_PAIRING_SECRET);
  await page.reload();
  await page.getByText('Settings and status').click();
  await expect(page.getByTestId('pairing-status')).toContainText('This device is paired');
  // The stored token opens the API; the pairing secret itself is stored nowhere.
  const status = await page.evaluate(async () => {
    const device = JSON.parse(localStorage.getItem('lva.device.v1') ?? '{}') as { token?: string };
    const response = await fetch('/api/device', {
      headers: { authorization: `Bearer ${device.token}` }
    });
    return { status: response.status, storage: JSON.stringify({ ...localStorage }) };
  });
  expect(status.status).toBe(200);
  expect(status.storage).not.toContain(E2E_PAIRING_SECRET);

  await page.getByRole('button', { name: 'Unpair this device' }).click();
  await expect(page.getByRole('button', { name: 'Pair this device' })).toBeVisible();
});
