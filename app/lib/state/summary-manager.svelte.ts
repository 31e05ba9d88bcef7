/**
 * The summary of a finished session: when the person ends a session or leaves it, one request
 * through the worker asks Claude for a title, a short summary, key takeaways and tags (strict
 * JSON), which are written onto the conversation and the session's shareable captures. Offline or
 * with the server down the request waits in the persisted outbox and runs when back online; with
 * no Claude configured no summary is asked for, and the status says so.
 */
import { AgentError, streamChat } from '../agent/agent-client';
import {
  buildSummaryRequest,
  type SummaryCapture,
  type SummaryTurn
} from '../agent/summary/build-summary-request';
import {
  parseSummary,
  SummaryParseError,
  type SessionSummary
} from '../agent/summary/parse-summary';
import { listTurns } from '../db/conversations-repo';
import { getDb } from '../db/database';
import type { ConversationId } from '../db/ids';
import { sessionCaptureIds, writeSessionSummary } from '../db/session-summary-repo';
import { PermanentFailure } from '../queue/outbox';
import { conversationManager } from './conversation-manager.svelte';
import { healthManager } from './health-manager.svelte';
import { LiveQueryValue } from './live-query.svelte';

/** Where a session's summary is. */
export interface SummaryStatus {
  state: 'working' | 'queued' | 'unavailable' | 'error';
  message: string;
}

interface SummaryPayload {
  conversationId: ConversationId;
}

const NOT_CONFIGURED = new Set(['upstream_not_configured', 'pairing_not_configured']);

/** Not now: the outbox retries it. */
class NotYet extends Error {
  override name = 'NotYet';
}

class SummaryManager {
  #status = $state<Record<string, SummaryStatus>>({});
  /** When each session's summary was last asked for on this page (a plain, non-reactive map). */
  #askedAt = new Map<ConversationId, number>();

  /** Sessions whose summary waits in the outbox. */
  readonly queued = new LiveQueryValue(async () => {
    const items = await getDb().outbox.where('kind').equals('summary').toArray();
    return items.map((i) => (i.payload as SummaryPayload).conversationId);
  }, [] as ConversationId[]);

  /** Handles queued summaries in the conversation's outbox; call before it starts. */
  start(): void {
    conversationManager.handle('summary', (payload) =>
      this.#run((payload as SummaryPayload).conversationId, true)
    );
  }

  /** A session's summary status (null: none is being made or waiting). */
  status(id: ConversationId): SummaryStatus | null {
    if (this.queued.current.includes(id))
      return {
        state: 'queued',
        message: 'The summary is queued: it will be made when the server can be reached.'
      };
    return this.#status[id] ?? null;
  }

  /**
   * The person left a session that was open since `since` (ms): summarised only when it has a
   * turn of theirs from that time on and after its last summary (leaving a session unchanged
   * keeps its summary and the person's edits).
   */
  async left(id: ConversationId, since: number): Promise<void> {
    const from = Math.max(since, this.#askedAt.get(id) ?? 0);
    const turns = await listTurns(getDb(), id);
    if (turns.some((t) => t.role === 'user' && t.createdAt >= from)) await this.request(id);
  }

  /** Asks for a session's summary now, or queues it. Resolves when stored, queued or refused. */
  async request(id: ConversationId): Promise<void> {
    this.#askedAt.set(id, Date.now());
    try {
      await this.#run(id, false);
    } catch (err) {
      if (err instanceof NotYet || (err instanceof AgentError && err.useFallback)) {
        const waiting = await getDb().outbox.where('kind').equals('summary').toArray();
        if (!waiting.some((i) => (i.payload as SummaryPayload).conversationId === id))
          await conversationManager.enqueue('summary', {
            conversationId: id
          } satisfies SummaryPayload);
        this.#set(id, null);
        return;
      }
      this.#set(id, { state: 'error', message: messageOf(err) });
    }
  }

  /** Saves the person's edit of a session's summary (tags follow onto its captures). */
  async edit(id: ConversationId, summary: SessionSummary): Promise<void> {
    const before = await getDb().conversations.get(id);
    await writeSessionSummary(getDb(), id, summary, { previousTags: before?.tags ?? [] });
  }

  // One attempt. `fromQueue`: failures that a retry can fix throw (the outbox backs off).
  async #run(id: ConversationId, fromQueue: boolean): Promise<void> {
    if (healthManager.reachable !== true || !healthManager.agentAvailable)
      await healthManager.refresh();
    const offline = globalThis.navigator?.onLine === false || healthManager.reachable !== true;
    if (offline) throw new NotYet('The server cannot be reached yet.');
    if (!healthManager.agentAvailable) {
      this.#set(id, {
        state: 'unavailable',
        message:
          'No summary: Claude is not configured on this server (only the on-device coach). You can write one yourself.'
      });
      if (fromQueue) throw new PermanentFailure('Claude is not configured.');
      return;
    }
    const db = getDb();
    const conversation = await db.conversations.get(id);
    if (!conversation) return; // deleted meanwhile: nothing to summarise
    this.#set(id, { state: 'working', message: 'Claude is summarising this session…' });
    try {
      const turns = (await listTurns(db, id)).filter((t) => t.source !== 'offline-coach');
      const captures = await db.captures.bulkGet(sessionCaptureIds(turns));
      const privacy = new Map(captures.flatMap((c) => (c ? [[c.id, c.private] as const] : [])));
      const summaryTurns: SummaryTurn[] = turns.map((t) => ({
        role: t.role,
        text: t.text,
        private: t.captureId ? privacy.get(t.captureId) !== false : false
      }));
      const notes: SummaryCapture[] = captures.flatMap((c) =>
        c && !turns.some((t) => t.captureId === c.id) ? [c] : []
      );
      const request = buildSummaryRequest({ turns: summaryTurns, captures: notes });
      const answer = await streamChat(request, { onText: () => undefined });
      const summary = parseSummary(answer.text);
      await writeSessionSummary(db, id, summary, { previousTags: conversation.tags });
      this.#set(id, null);
    } catch (err) {
      if (err instanceof AgentError && NOT_CONFIGURED.has(err.code)) {
        this.#set(id, { state: 'unavailable', message: `No summary: ${err.message}` });
        if (fromQueue) throw new PermanentFailure(err.message);
        return;
      }
      if (err instanceof AgentError && err.useFallback) {
        this.#set(id, null);
        throw err;
      }
      // A malformed answer or a refused request: retrying the same session will not help.
      this.#set(id, { state: 'error', message: messageOf(err) });
      if (fromQueue) throw new PermanentFailure(messageOf(err));
    }
  }

  #set(id: ConversationId, status: SummaryStatus | null): void {
    const next = { ...this.#status };
    if (status) next[id] = status;
    else delete next[id];
    this.#status = next;
  }
}

function messageOf(err: unknown): string {
  if (err instanceof SummaryParseError) return `${err.message} Nothing was changed.`;
  return err instanceof Error ? err.message : String(err);
}

/** The app's session summaries. */
export const summaryManager = new SummaryManager();
