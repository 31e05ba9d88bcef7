import { afterEach, describe, expect, it } from 'vitest';
import {
  addTurn,
  createConversation,
  listConversations,
  listTurns,
  titleFrom
} from '$lib/db/conversations-repo';
import type { LvaDatabase } from '$lib/db/database';
import { openTestDb } from './helpers/app-db';

let db: LvaDatabase;
afterEach(() => db?.close());

describe('conversations repo', () => {
  it('stores turns in order and lists sessions by last activity', async () => {
    db = openTestDb('conv-1');
    const a = await createConversation(db, 'First', 1000);
    const b = await createConversation(db, 'Second', 2000);
    await addTurn(db, { conversationId: a.id, role: 'user', text: 'q', source: 'person' }, 3000);
    await addTurn(
      db,
      {
        conversationId: a.id,
        role: 'assistant',
        text: 'r',
        source: 'claude',
        strategy: 'few-shot',
        sent: { requests: [] },
        timings: { firstTokenMs: 5 }
      },
      3001
    );
    expect((await listConversations(db)).map((c) => c.title)).toEqual(['First', 'Second']);
    const turns = await listTurns(db, a.id);
    expect(turns.map((t) => [t.role, t.text, t.strategy])).toEqual([
      ['user', 'q', null],
      ['assistant', 'r', 'few-shot']
    ]);
    expect(turns[1]!.timings).toEqual({ firstTokenMs: 5 });
    expect(await listTurns(db, b.id)).toEqual([]);
  });

  it('titles a session from its first words', () => {
    expect(titleFrom('  Photosynthesis turns light into sugar. ')).toBe(
      'Photosynthesis turns light into sugar'
    );
    expect(titleFrom('one two three four five six seven eight nine')).toBe(
      'one two three four five six seven eight…'
    );
    expect(titleFrom('')).toBe('Untitled session');
  });
});
