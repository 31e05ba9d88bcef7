/**
 * The archive in Chromium: import the frozen v1 archive and a Markdown note, see HTML rendered as
 * text (never run), export everything, clear all site data, import the export: the same library,
 * byte for byte. Then "Delete all my data" leaves no database, cache or service worker behind.
 */
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { bareUrl } from './helpers';
import { dumpLibrary, leftovers, waitForServiceWorker } from './pwa-helpers';

const fixture = resolve(import.meta.dirname, '../fixtures/archive/v1.zip');

test.describe.configure({ mode: 'serial' });

test('export → clear site data → import gives the same library; delete all my data leaves nothing', async ({
  page,
  context
}) => {
  // The download path (no File System Access picker in automation) is the one under test here.
  await context.addInitScript(
    () => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker
  );
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  await page.goto(`${bareUrl()}/settings`);
  await waitForServiceWorker(page);

  const note = resolve(tmpdir(), 'lva-e2e-note.md');
  writeFileSync(
    note,
    '---\ntitle: Mitochondria\ntags: [biology]\n---\nThe powerhouse <img src=x onerror=alert(1)>.\n'
  );
  await page.getByTestId('import-file').setInputFiles([fixture]);
  await expect(
    page.locator('[data-testid="import-review"] tr[data-table="captures"]')
  ).toContainText(/Captures\s*2\s*0\s*0\s*0/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles([note]);
  await expect(page.getByTestId('import-review')).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-done')).toBeVisible();

  await page.getByRole('link', { name: '← Back to captures' }).click();
  await expect(page.getByTestId('capture-item')).toHaveCount(3);
  // Markup in a transcript is shown as the characters it is made of.
  await expect(page.getByText('<script>alert(1)</script>', { exact: false })).toBeVisible();
  await expect(page.locator('main script, main img')).toHaveCount(0);
  const before = await dumpLibrary(page);
  expect(before.captures).toHaveLength(3);
  expect(before.audio).toHaveLength(1);

  await page.goto(`${bareUrl()}/settings`);
  await page.getByLabel('Include meaning-search embeddings', { exact: false }).check();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export everything' }).click();
  const file = resolve(tmpdir(), `lva-e2e-export-${Date.now()}.zip`);
  await (await download).saveAs(file);
  await expect(page.getByTestId('export-done')).toContainText('Exported 3 captures');
  await expect(page.getByTestId('last-backup')).toContainText('today');

  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: bareUrl(), storageTypes: 'all' });
  await page.goto(bareUrl());
  await expect(page.getByText('No captures yet', { exact: false })).toBeVisible();

  await page.goto(`${bareUrl()}/settings`);
  await page.getByTestId('import-file').setInputFiles([file]);
  await expect(
    page.locator('[data-testid="import-review"] tr[data-table="captures"]')
  ).toContainText(/Captures\s*3\s*0\s*0\s*0/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  expect(await dumpLibrary(page)).toEqual(before);

  // Importing the same archive again changes nothing.
  await page.getByTestId('import-file').setInputFiles([file]);
  await expect(
    page.locator('[data-testid="import-review"] tr[data-table="captures"]')
  ).toContainText(/Captures\s*0\s*0\s*3\s*0/);
  await page.getByRole('button', { name: 'Cancel' }).click();

  // A damaged archive is refused in words, and nothing is written.
  const broken = resolve(tmpdir(), 'lva-e2e-broken.zip');
  writeFileSync(broken, 'PK\u0003\u0004 this is not really a zip');
  await page.getByTestId('import-file').setInputFiles([broken]);
  await expect(page.getByTestId('import-error')).toContainText('Nothing was imported');

  await page.getByRole('button', { name: 'Delete all my data…' }).click();
  await page.getByTestId('delete-confirm-input').fill('delete');
  await page.getByRole('button', { name: 'Delete everything now' }).click();
  await expect(page.getByTestId('data-deleted')).toBeVisible();
  expect(await leftovers(page)).toEqual({
    databases: [],
    caches: [],
    serviceWorkers: 0,
    localStorage: 0
  });
});
