/**
 * Install criteria in Chromium: a manifest with everything an installed app needs, PNG icons of
 * the declared sizes (maskable included), and a service worker controlling the page; Chromium's
 * own installability check reports no error. Runs in a persistent (non-incognito) profile, since
 * Chromium never offers installation in incognito.
 */
import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareUrl } from './helpers';
import { waitForServiceWorker } from './pwa-helpers';

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose: string }[];
  shortcuts: { name: string; url: string }[];
}

test('the app meets Chromium install criteria', async ({ browserName }, testInfo) => {
  expect(browserName).toBe('chromium');
  const profile = mkdtempSync(join(tmpdir(), 'lva-install-'));
  const launch = testInfo.project.use.launchOptions ?? {};
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: launch.executablePath,
    args: launch.args
  });
  try {
    const page = await context.newPage();
    await page.goto(bareUrl());
    await waitForServiceWorker(page);

    const manifest = (await (
      await page.request.get(`${bareUrl()}/manifest.webmanifest`)
    ).json()) as Manifest;
    expect(manifest).toMatchObject({
      name: 'Learning Voice Agent',
      short_name: 'Learning Voice',
      display: 'standalone',
      theme_color: '#1f3b57'
    });
    expect(manifest.start_url).toMatch(/^\//);
    expect(manifest.shortcuts.map((s) => [s.name, s.url])).toEqual([
      ['New capture', '/?action=record'],
      ['Search', '/?action=search']
    ]);
    for (const want of ['192x192 any', '512x512 any', '512x512 maskable']) {
      const icon = manifest.icons.find((i) => `${i.sizes} ${i.purpose}` === want);
      expect(icon, want).toBeDefined();
      const png = await (await page.request.get(`${bareUrl()}${icon!.src}`)).body();
      // PNG signature, then the IHDR width and height.
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon!.sizes);
    }

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const { url, errors } = await cdp.send('Page.getAppManifest');
    expect(url).toContain('/manifest.webmanifest');
    expect(errors).toEqual([]);

    // The search shortcut lands in the search box.
    await page.goto(`${bareUrl()}/?action=search`);
    await expect(page.getByPlaceholder('Search your captures')).toBeFocused();
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
