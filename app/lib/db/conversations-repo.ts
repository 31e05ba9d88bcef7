/** Reads and writes of conversations (sessions with the partner) and their turns. */
import type { ConversationRecord, LvaDatabase, TurnRecord } from './database';
import { newId, type ConversationId, type TurnId } from './ids';

/** A new, empty conversation, stored. */
export async function createConversation(
  db: LvaDatabase,
  title: string,
  now = Date.now()
): Promise<ConversationRecord> {
  const conversation: ConversationRecord = {
    id: newId<ConversationId>(now),
    createdAt: now,
    updatedAt: now,
    title,
    summary: null,
    takeaways: [],
    tags: []
  };
  await db.conversations.add(conversation);
  return conversation;
}

/** The fields of a new turn (the rest get defaults). */
export type NewTurn = Pick<TurnRecord, 'conversationId' | 'role' | 'text' | 'source'> &
  Partial<Omit<TurnRecord, 'id' | 'conversationId' | 'role' | 'text' | 'source'>>;

/** Stores a turn and touches its conversation, atomically. */
export async function addTurn(
  db: LvaDatabase,
  input: NewTurn,
  now = Date.now()
): Promise<TurnRecord> {
  const turn: TurnRecord = {
    id: newId<TurnId>(now),
    createdAt: now,
    captureId: null,
    model: null,
    strategy: null,
    sent: null,
    citations: [],
    timings: {},
    ...input
  };
  await db.transaction('rw', db.conversations, db.turns, async () => {
    await db.turns.add(turn);
    await db.conversations.update(input.conversationId, { updatedAt: now });
  });
  return turn;
}

/** A conversation's turns, oldest first. */
export function listTurns(db: LvaDatabase, id: ConversationId): Promise<TurnRecord[]> {
  return db.turns.where('conversationId').equals(id).sortBy('createdAt');
}

/** Conversations, most recently active first. */
export function listConversations(db: LvaDatabase, limit = 100): Promise<ConversationRecord[]> {
  return db.conversations.orderBy('updatedAt').reverse().limit(limit).toArray();
}

/** A conversation's title from its first words: up to `words` words, with "…" when cut. */
export function titleFrom(text: string, words = 8): string {
  const all = text.trim().split(/\s+/).filter(Boolean);
  if (all.length === 0) return 'Untitled session';
  const title = all
    .slice(0, words)
    .join(' ')
    .replace(/[.,;:!?]+$/, '');
  return all.length > words ? `${title}…` : title;
}
