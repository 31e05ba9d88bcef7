import { afterEach, describe, expect, it } from 'vitest';
import { addTurn, createConversation } from '$lib/db/conversations-repo';
import type { CaptureRecord, LvaDatabase } from '$lib/db/database';
import type { CaptureId } from '$lib/db/ids';
import { sessionCaptureIds, writeSessionSummary } from '$lib/db/session-summary-repo';
import { openTestDb } from './helpers/app-db';

let db: LvaDatabase;
afterEach(() => db?.close());

const capture = (id: string, over: Partial<CaptureRecord> = {}): CaptureRecord => ({
  id: id as CaptureId,
  createdAt: 1,
  updatedAt: 1,
  title: id,
  text: `text of ${id}`,
  segments: [],
  language: 'en',
  modelId: null,
  source: 'markdown',
  audioId: null,
  durationMs: 0,
  status: 'ready',
  error: null,
  tags: [],
  private: false,
  ...over
});

const SUMMARY = {
  title: 'Leaves and light',
  summary: 'Chlorophyll absorbs red and blue light.',
  takeaways: ['One.', 'Two.', 'Three.'],
  tags: ['biology', 'light']
};

async function session() {
  await db.captures.bulkAdd([
    capture('spoken', { tags: ['Biology', 'mine'] }),
    capture('cited'),
    capture('secret', { private: true, tags: ['diary'] }),
    capture('elsewhere')
  ]);
  const c = await createConversation(db, 'Chlorophyll absorbs…', 10);
  await addTurn(
    db,
    {
      conversationId: c.id,
      role: 'user',
      text: 'q',
      source: 'person',
      captureId: 'spoken' as CaptureId
    },
    11
  );
  await addTurn(
    db,
    {
      conversationId: c.id,
      role: 'user',
      text: 'p',
      source: 'person',
      captureId: 'secret' as CaptureId
    },
    12
  );
  await addTurn(
    db,
    {
      conversationId: c.id,
      role: 'assistant',
      text: 'r [1]',
      source: 'claude',
      citations: ['cited' as CaptureId, 'spoken' as CaptureId]
    },
    13
  );
  return c;
}

describe('session summary repo', () => {
  it('lists a session’s captures once each', async () => {
    db = openTestDb('summary-1');
    const c = await session();
    const turns = await db.turns.where('conversationId').equals(c.id).sortBy('createdAt');
    expect(sessionCaptureIds(turns)).toEqual(['spoken', 'secret', 'cited']);
  });

  it('writes the summary onto the conversation and merges tags onto shareable captures only', async () => {
    db = openTestDb('summary-2');
    const c = await session();
    await writeSessionSummary(db, c.id, SUMMARY, { now: 50 });
    const stored = await db.conversations.get(c.id);
    expect(stored).toMatchObject({ ...SUMMARY, updatedAt: 13 });
    const tags = async (id: string) => (await db.captures.get(id as CaptureId))!.tags;
    expect(await tags('spoken')).toEqual(['biology', 'mine', 'light']);
    expect((await db.captures.get('spoken' as CaptureId))!.updatedAt).toBe(50);
    expect(await tags('cited')).toEqual(['biology', 'light']);
    expect(await tags('secret')).toEqual(['diary']);
    expect(await tags('elsewhere')).toEqual([]);
  });

  it('an edit replaces the session’s old tags but keeps the capture’s own', async () => {
    db = openTestDb('summary-3');
    const c = await session();
    await writeSessionSummary(db, c.id, SUMMARY);
    await writeSessionSummary(
      db,
      c.id,
      { ...SUMMARY, tags: ['photosynthesis'] },
      { previousTags: SUMMARY.tags }
    );
    expect((await db.captures.get('cited' as CaptureId))!.tags).toEqual(['photosynthesis']);
    // "biology" was the summary's and the capture's own: the edit removed it from the session.
    expect((await db.captures.get('spoken' as CaptureId))!.tags).toEqual([
      'mine',
      'photosynthesis'
    ]);
  });
});
