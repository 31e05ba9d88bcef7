/**
 * The learning conversation against the worker and the loopback Claude stand-in: cited replies
 * from captures imported through the app's own Markdown import (a private one never sent), a
 * question queued offline and answered when the network returns, and resuming a session.
 */
import { expect, test, type Page } from '@playwright/test';
import { E2E_PAIRING_SECRET } from './global-setup';
import { configuredUrl, pairThroughUi } from './helpers';

const SECRET_WORD = 'zebracorn';
const NOTES = [
  {
    name: 'plants.md',
    text: `---\ntitle: How plants make sugar\ntags: [biology]\n---\nPhotosynthesis turns light energy into chemical energy. Chlorophyll in the leaves absorbs red and blue light.\n`
  },
  {
    name: 'rome.md',
    text: `---\ntitle: Fall of Rome\n---\nThe Western Roman Empire fell in 476 when Odoacer deposed Romulus Augustulus.\n`
  },
  {
    name: 'diary.md',
    text: `---\ntitle: Private reflection\nprivate: true\n---\nMy private worry about photosynthesis and chlorophyll before the exam: ${SECRET_WORD}.\n`
  }
];

/** Imports the notes through Settings → Import, as a person would. */
async function importNotes(page: Page): Promise<void> {
  await page.goto(`${configuredUrl()}/settings`);
  await page
    .getByTestId('import-file')
    .setInputFiles(
      NOTES.map((n) => ({ name: n.name, mimeType: 'text/markdown', buffer: Buffer.from(n.text) }))
    );
  await expect(page.getByTestId('import-review')).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-done')).toBeVisible();
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel('Say something to your learning partner').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test.beforeEach(async ({ page }) => {
  await page.goto(configuredUrl());
  await pairThroughUi(page, E2E_PAIRING_SECRET);
});

test('a question gets a streamed reply citing imported captures; private ones are never sent', async ({
  page
}) => {
  await importNotes(page);
  await page.goto(`${configuredUrl()}/talk`);
  await say(page, 'How does photosynthesis use chlorophyll?');
  // Streams first, then the stored reply with its citation.
  await expect(page.getByTestId('reply-streaming')).toContainText('Stub partner heard');
  const reply = page.getByTestId('turn-reply');
  await expect(reply).toHaveAttribute('data-source', 'claude');
  await expect(reply).toContainText('Your note [1] bears on this.');
  await expect(reply).toContainText('strategy: few-shot');
  const citation = reply.getByTestId('citation');
  await expect(citation).toHaveText('[1] How plants make sugar');
  // The session has its own address and is listed.
  await expect(page).toHaveURL(/\/talk\?session=[0-9a-z]+$/);
  await expect(page.getByTestId('session-item')).toHaveText(
    'How does photosynthesis use chlorophyll'
  );

  // Exactly what was sent: the public note, never the private one.
  await reply.getByTestId('sent-view').locator('summary').click();
  const body = reply.getByTestId('sent-body');
  await expect(body).toContainText('Chlorophyll in the leaves absorbs red and blue light');
  await expect(body).toContainText('How does photosynthesis use chlorophyll?');
  await expect(body).not.toContainText(SECRET_WORD);
  await reply.getByTestId('latency').locator('summary').click();
  await expect(reply.getByTestId('latency')).toContainText('First token');

  await citation.click();
  await expect(page.getByRole('heading', { name: 'How plants make sugar' })).toBeVisible();
});

test('offline: the coach answers, the question waits in the queue (across a reload) and Claude answers when back online', async ({
  page,
  context
}) => {
  await page.goto(`${configuredUrl()}/talk`);
  // The page's code is loaded before the network goes (the service worker may not be active yet).
  await expect(page.getByLabel('Say something to your learning partner')).toBeVisible();
  await context.setOffline(true);
  await say(page, 'Mitochondria turn glucose and oxygen into ATP.');
  const replies = page.getByTestId('turn-reply');
  await expect(replies.first()).toHaveAttribute('data-source', 'offline-coach');
  await expect(replies.first()).toContainText('not AI');
  await expect(page.getByTestId('turn-notice')).toContainText('your question is queued');
  await expect(page.getByTestId('queued-item')).toContainText('Mitochondria turn glucose');

  // The server down (not the network): the queue is kept across a reload.
  await page.route('**/api/**', (route) => route.abort());
  await context.setOffline(false);
  await page.reload();
  await expect(page.getByTestId('queued-item')).toContainText('Mitochondria turn glucose');
  await expect(replies).toHaveCount(1);

  // The server is back; the browser's "online" event sends the queue at once.
  await page.unroute('**/api/**');
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(replies).toHaveCount(2, { timeout: 30_000 });
  await expect(replies.nth(1)).toHaveAttribute('data-source', 'claude');
  await expect(replies.nth(1)).toContainText('Answering your queued question');
  await expect(replies.nth(1)).toContainText('Stub partner heard: "Mitochondria turn glucose');
  await expect(page.getByTestId('queued-item')).toHaveCount(0);
});

test('a past session is resumed: its earlier turns go into the next request', async ({ page }) => {
  await page.goto(`${configuredUrl()}/talk`);
  await say(page, 'Entropy always increases in a closed system.');
  await expect(page.getByTestId('turn-reply')).toHaveAttribute('data-source', 'claude');
  await page.getByRole('link', { name: 'New session' }).click();
  await expect(page.getByRole('heading', { name: 'New session' })).toBeVisible();
  await expect(page.getByTestId('turn-reply')).toHaveCount(0);

  await page.getByTestId('session-item').filter({ hasText: 'Entropy always increases' }).click();
  await expect(page.getByTestId('turn-user')).toHaveText(/Entropy always increases/);
  await say(page, 'Quiz me on it.');
  const replies = page.getByTestId('turn-reply');
  await expect(replies).toHaveCount(2);
  await replies.nth(1).getByTestId('sent-view').locator('summary').click();
  const body = replies.nth(1).getByTestId('sent-body');
  // The first exchange is in the messages, and the quiz examples were chosen for this turn.
  await expect(body).toContainText('"content": "Entropy always increases in a closed system."');
  await expect(body).toContainText('Stub partner heard: \\"Entropy always increases');
  await expect(body).toContainText('wants to be quizzed');
});
