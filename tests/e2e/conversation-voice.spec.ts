/**
 * The spoken conversation: the fake microphone plays a question, a long pause, then more speech.
 * The question becomes a capture and a turn, Claude's reply is spoken sentence by sentence in the
 * pause, and the person speaking again while it sounds stops it (barge-in). speechSynthesis is replaced by a recording
 * spy: a headless browser has no voices, and a spoken sentence that never ends keeps the reply
 * "sounding" until the next utterance starts.
 */
import { expect, test } from '@playwright/test';
import { PAUSED_UTTERANCES } from './audio-fixtures';
import { E2E_PAIRING_SECRET } from './global-setup';
import { configuredUrl, pairThroughUi, waitForModel } from './helpers';

declare global {
  interface Window {
    __speech: string[];
  }
}

test('a spoken question gets a spoken reply, and speaking again stops it', async ({ page }) => {
  await page.addInitScript(() => {
    window.__speech = [];
    const synth = window.speechSynthesis;
    synth.speak = (u: SpeechSynthesisUtterance) => {
      window.__speech.push(`speak:${u.text}`);
      // The sentence starts to sound and never ends: the reply stays "speaking".
      setTimeout(() => u.dispatchEvent(new Event('start')), 0);
    };
    synth.cancel = () => void window.__speech.push('cancel');
    synth.pause = () => void window.__speech.push('pause');
    synth.resume = () => void window.__speech.push('resume');
  });
  await page.goto(configuredUrl());
  await pairThroughUi(page, E2E_PAIRING_SECRET);
  await waitForModel(page);
  await page.getByRole('link', { name: 'Talk with your partner' }).click();
  await page.getByText('Partner settings').click();
  await page.getByLabel('Speak replies aloud').check();

  await page.getByRole('button', { name: 'Talk' }).click();
  await expect(page.getByRole('button', { name: 'Stop talking' })).toBeEnabled();
  const first = page.getByTestId('turn-user').first();
  await expect(first).toContainText(PAUSED_UTTERANCES[0]!.word, { timeout: 120_000 });
  await expect(first).toContainText('You (spoken)');
  const reply = page.getByTestId('turn-reply').first();
  await expect(reply).toHaveAttribute('data-source', 'claude', { timeout: 60_000 });
  await expect(reply).toContainText('Stub partner heard');

  const log = () => page.evaluate(() => window.__speech);
  // The reply was spoken sentence by sentence, without citation marks.
  await expect
    .poll(async () => (await log()).filter((e) => e.startsWith('speak:')).length)
    .toBeGreaterThanOrEqual(2);
  expect((await log()).some((e) => e.startsWith('speak:What is the key idea'))).toBe(true);
  // The next utterance starts while it still sounds: paused at once, then cancelled.
  await expect
    .poll(async () => (await log()).some((e, i, all) => e === 'pause' && all[i + 1] === 'cancel'), {
      timeout: 90_000
    })
    .toBe(true);

  // The first spoken audio is in the reply's latency breakdown.
  await reply.getByTestId('latency').locator('summary').click();
  await expect(reply.getByTestId('latency')).toContainText('End-of-turn wait');
  await expect(reply.getByTestId('latency')).toContainText('First spoken audio');
  await expect(reply.getByTestId('latency')).toContainText('End of speech → first token');
  await page.getByRole('button', { name: 'Stop talking' }).click();
});
