/**
 * After a session and by command, against the worker and the loopback Claude stand-in: ending a
 * session gets a title, summary, takeaways and tags (the tags written onto the capture it drew
 * on, the summary editable), none is asked for without Claude, one queued offline is made when
 * back online, and "what did I say about …" is answered on the device alone.
 */
import { expect, test, type Page } from '@playwright/test';
import { E2E_PAIRING_SECRET } from './global-setup';
import { bareUrl, configuredUrl, pairThroughUi } from './helpers';

const SECRET_WORD = 'zebracorn';
const NOTES = [
  {
    name: 'plants.md',
    text: `---\ntitle: How plants make sugar\ntags: [biology]\n---\nPhotosynthesis turns light energy into chemical energy. Chlorophyll in the leaves absorbs red and blue light.\n`
  },
  {
    name: 'diary.md',
    text: `---\ntitle: Private reflection\nprivate: true\n---\nMy private worry before the exam: ${SECRET_WORD}.\n`
  }
];

/** Imports the notes through Settings → Import, as a person would. */
async function importNotes(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/settings`);
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

test('ending a session shows its title, summary and takeaways, and tags the capture it drew on', async ({
  page
}) => {
  await page.goto(configuredUrl());
  await pairThroughUi(page, E2E_PAIRING_SECRET);
  await importNotes(page, configuredUrl());
  await page.goto(`${configuredUrl()}/talk`);
  await say(page, 'How does photosynthesis use chlorophyll?');
  const reply = page.getByTestId('turn-reply');
  await expect(reply).toHaveAttribute('data-source', 'claude');
  await expect(reply.getByTestId('citation')).toHaveText('[1] How plants make sugar');

  await page.getByRole('button', { name: 'End session' }).click();
  await expect(page.getByTestId('summary-title')).toHaveText(
    'Stub summary: How does photosynthesis use chlorophyll?'
  );
  await expect(page.getByTestId('summary-text')).toContainText('The person talked about');
  await expect(page.getByTestId('summary-takeaways').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('summary-tags')).toContainText('stub-summary, learning');
  // The session list shows the new title.
  await expect(page.getByTestId('session-item')).toHaveText(/^Stub summary: How does/);

  // The person edits it; the edited tags replace the summary's on the capture.
  await page.getByRole('button', { name: 'Edit summary' }).click();
  const editor = page.getByTestId('summary-editor');
  await editor.getByLabel('Title').fill('Why leaves are green');
  await editor.getByLabel('Tags (comma-separated)').fill('stub-summary, chlorophyll');
  await editor.getByRole('button', { name: 'Save summary' }).click();
  await expect(page.getByTestId('summary-title')).toHaveText('Why leaves are green');

  await reply.getByTestId('citation').click();
  await expect(page.getByRole('heading', { name: 'How plants make sugar' })).toBeVisible();
  const tags = page.getByTestId('capture-meta').getByRole('list', { name: 'Tags' });
  await expect(tags.locator('li')).toHaveText([/#biology/, /#stub-summary/, /#chlorophyll/]);
});

test('"what did I say about …" typed: matching captures listed from this device, nothing sent', async ({
  page
}) => {
  await page.goto(configuredUrl());
  await pairThroughUi(page, E2E_PAIRING_SECRET);
  await importNotes(page, configuredUrl());
  await page.goto(`${configuredUrl()}/talk`);
  await expect(page.getByLabel('Say something to your learning partner')).toBeVisible();
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/chat')) sent.push(r.postData() ?? '');
  });
  await say(page, `what did I say about ${SECRET_WORD.toUpperCase()}...`);
  const results = page.getByTestId('recall-results');
  await expect(results).toContainText(`What you said about “${SECRET_WORD}”`);
  const item = results.getByTestId('recall-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByRole('link')).toHaveText('Private reflection');
  await expect(item.locator('mark')).toHaveText(SECRET_WORD);
  // No turn was taken and nothing went to the server.
  await expect(page.getByTestId('turn-user')).toHaveCount(0);
  expect(sent).toEqual([]);

  // The button routes the same way.
  await page.getByLabel('Topic').fill('chlorophyll');
  await page.getByRole('button', { name: 'What did I say?' }).click();
  await expect(results.getByTestId('recall-item').getByRole('link')).toHaveText(
    'How plants make sugar'
  );
  await item.first().getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'How plants make sugar' })).toBeVisible();
  expect(sent).toEqual([]);
});

test('with no Claude configured, ending a session asks for no summary and says so', async ({
  page
}) => {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/chat')) sent.push(r.postData() ?? '');
  });
  await page.goto(`${bareUrl()}/talk`);
  await say(page, 'Entropy always increases in a closed system.');
  await expect(page.getByTestId('turn-reply')).toHaveAttribute('data-source', 'offline-coach');
  await page.getByRole('button', { name: 'End session' }).click();
  await expect(page.getByTestId('summary-status')).toContainText(
    'No summary: Claude is not configured on this server'
  );
  await expect(page.getByTestId('summary-title')).toHaveCount(0);
  expect(sent).toEqual([]);
});

test('offline: the summary waits in the outbox (across a reload) and is made when back online', async ({
  page,
  context
}) => {
  await page.goto(configuredUrl());
  await pairThroughUi(page, E2E_PAIRING_SECRET);
  await page.goto(`${configuredUrl()}/talk`);
  await say(page, 'Mitochondria turn glucose and oxygen into ATP.');
  await expect(page.getByTestId('turn-reply')).toHaveAttribute('data-source', 'claude');

  await context.setOffline(true);
  await page.getByRole('button', { name: 'End session' }).click();
  const status = page.getByTestId('summary-status');
  await expect(status).toHaveAttribute('data-state', 'queued');
  await expect(status).toContainText('The summary is queued');

  // The server down (not the network): the queued summary is kept across a reload.
  await page.route('**/api/**', (route) => route.abort());
  await context.setOffline(false);
  await page.reload();
  await expect(status).toHaveAttribute('data-state', 'queued');
  await expect(page.getByTestId('summary-title')).toHaveCount(0);

  // Back: the browser's "online" event runs the outbox at once.
  await page.unroute('**/api/**');
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByTestId('summary-title')).toHaveText(
    'Stub summary: Mitochondria turn glucose and oxygen',
    { timeout: 30_000 }
  );
  await expect(status).toHaveCount(0);
});
