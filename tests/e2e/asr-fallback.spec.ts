/**
 * Server fallback: with the on-device model made unavailable (every `/models/` file answers 404),
 * a recording is transcribed through the real worker's `/api/transcribe`, which forwards it to a
 * loopback stand-in of OpenAI's `/v1/audio/transcriptions` (real wire format, real multipart).
 */
import { expect, test } from '@playwright/test';
import { E2E_PAIRING_SECRET, E2E_SERVER_TRANSCRIPT } from './global-setup';
import { configuredUrl, pairThroughUi } from './helpers';

interface StubRequest {
  fields: Record<string, string>;
  file: { name: string; type: string; size: number } | null;
  authorized: boolean;
}

// Service workers would answer model requests from their own cache, out of the route's reach.
test.use({ serviceWorkers: 'block' });

test('a recording is transcribed by the server when the local model cannot load', async ({
  page,
  request
}) => {
  const stubUrl = process.env.LVA_E2E_OPENAI_STUB_URL ?? '';
  const before = ((await (await request.get(`${stubUrl}/__stub/requests`)).json()) as unknown[])
    .length;
  await page.route('**/models/**', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(configuredUrl());
  await expect(page.getByRole('alert').filter({ hasText: /model|load|download/i })).toBeVisible({
    timeout: 60_000
  });
  await pairThroughUi(page, E2E_PAIRING_SECRET);

  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  // Not an assertion on time: the 11 s clip has to finish playing into the microphone.
  await page.waitForTimeout(12_000);
  await page.getByRole('button', { name: 'Stop recording' }).click();

  const item = page.getByTestId('capture-item').first();
  // The stand-in's words, not Whisper's: the transcript really came back through the server.
  await expect(item).toContainText(E2E_SERVER_TRANSCRIPT.replace('Server transcript: ', ''), {
    timeout: 60_000
  });
  await item.click();
  await expect(page.getByText(/server \(OpenAI-compatible\)/)).toBeVisible();

  const received = (await (
    await request.get(`${stubUrl}/__stub/requests`)
  ).json()) as StubRequest[];
  const sent = received.slice(before);
  expect(sent).toHaveLength(1);
  const [only] = sent;
  // The worker added its own key; the browser never had it.
  expect(only?.authorized).toBe(true);
  expect(only?.fields.language).toBe('en');
  expect(only?.file?.type).toBe('audio/wav');
  // 16-bit mono 16 kHz WAV of roughly the 11 s recording (32 kB per second).
  expect(only?.file?.size).toBeGreaterThan(8 * 32_000);
});
