/**
 * Writes a session's summary: title, summary and takeaways onto the conversation, and its tags
 * onto the session's captures (the ones its turns were recorded as and the ones its replies drew
 * on), merged with their own tags. Private captures are never tagged from the cloud's answer.
 */
import type { SessionSummary } from '../agent/summary/parse-summary';
import { cleanTags } from './capture-meta-repo';
import type { LvaDatabase, TurnRecord } from './database';
import { guardWrite } from './db-lifecycle';
import type { CaptureId, ConversationId } from './ids';
import { isShareable } from './privacy';

/** The captures of a session: recorded as its turns or cited by its replies, first seen first. */
export function sessionCaptureIds(turns: readonly TurnRecord[]): CaptureId[] {
  const ids = turns.flatMap((t) => [...(t.captureId ? [t.captureId] : []), ...t.citations]);
  return [...new Set(ids)];
}

/**
 * Stores a summary: the conversation's fields are replaced; on each shareable capture of the
 * session, the tags in `previousTags` that the summary no longer has are removed and the new ones
 * added (the capture's own tags stay). One transaction: all of it or none.
 */
export async function writeSessionSummary(
  db: LvaDatabase,
  id: ConversationId,
  summary: SessionSummary,
  options: { previousTags?: readonly string[]; now?: number } = {}
): Promise<void> {
  const now = options.now ?? Date.now();
  const tags = cleanTags(summary.tags);
  const dropped = new Set(cleanTags(options.previousTags ?? []).filter((t) => !tags.includes(t)));
  await guardWrite(() =>
    db.transaction('rw', db.conversations, db.turns, db.captures, async () => {
      const updated = await db.conversations.update(id, {
        title: summary.title.trim(),
        summary: summary.summary.trim(),
        takeaways: summary.takeaways.map((t) => t.trim()).filter((t) => t !== ''),
        tags
      });
      if (updated === 0) throw new Error('This session no longer exists.');
      const turns = await db.turns.where('conversationId').equals(id).toArray();
      const captures = await db.captures.bulkGet(sessionCaptureIds(turns));
      for (const capture of captures) {
        if (!capture || !isShareable(capture)) continue;
        const merged = cleanTags([...capture.tags.filter((t) => !dropped.has(t)), ...tags]);
        if (merged.join('\n') === capture.tags.join('\n')) continue;
        await db.captures.update(capture.id, { tags: merged, updatedAt: now });
      }
    })
  );
}
