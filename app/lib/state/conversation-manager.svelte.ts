/**
 * The learning conversation: sessions of turns with the partner. The person's turn is stored
 * before any network call; Claude answers through the worker with cited notes from the library
 * (never private ones); offline or with the server down the on-device coach answers at once and
 * the question waits in the persisted outbox until Claude can answer it.
 */
import { AgentError, streamChat } from '../agent/agent-client';
import { commandTurnKind, contextSourceFor, parseCommand } from '../agent/commands';
import { selectContext } from '../agent/context';
import { coachReply } from '../agent/fallback-coach';
import type { PastTurn } from '../agent/prompts/build-request';
import { strategyName } from '../agent/prompts/strategy';
import { runTurn, type SentRecord, type StreamFn } from '../agent/turn-runner';
import {
  addTurn,
  createConversation,
  listConversations,
  listTurns,
  titleFrom
} from '../db/conversations-repo';
import { getDb, type ConversationRecord, type OutboxRecord, type TurnRecord } from '../db/database';
import type { CaptureId, ConversationId, TurnId } from '../db/ids';
import { Outbox, type OutboxHandler, type OutboxKind } from '../queue/outbox';
import { healthManager } from './health-manager.svelte';
import { LiveQueryValue } from './live-query.svelte';
import { recallManager } from './recall-manager.svelte';
import { searchManager } from './search-manager.svelte';
import { settingsManager } from './settings-manager.svelte';
import { speechManager } from './speech-manager.svelte';

/** A queued question: its outbox item and payload. */
export interface QueuedChat {
  item: OutboxRecord;
  conversationId: ConversationId;
  turnId: TurnId;
  text: string;
}

/** Why the coach answered, or why a turn failed. */
export interface TurnNotice {
  kind: 'fallback' | 'queued' | 'error';
  message: string;
}

/** Where a turn is. */
export type TurnPhase = 'idle' | 'thinking' | 'drafting' | 'revising' | 'replying';

interface ChatPayload {
  conversationId: ConversationId;
  turnId: TurnId;
}

/** Errors that retrying cannot fix until the owner changes the server: the coach only. */
const NOT_CONFIGURED = new Set(['upstream_not_configured', 'pairing_not_configured']);

/** The question was not answered by Claude now; the outbox retries it. */
class StillWaiting extends Error {
  override name = 'StillWaiting';
}

class ConversationManager {
  #id = $state<ConversationId | null>(null);
  #phase = $state<TurnPhase>('idle');
  #streaming = $state<string | null>(null);
  #streamingFor = $state<TurnId | null>(null);
  #notice = $state<TurnNotice | null>(null);
  #controller: AbortController | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #outbox: Outbox | null = null;
  /** Handlers of the outbox's other kinds of work (the session summary registers one). */
  #handlers: Partial<Record<OutboxKind, OutboxHandler>> = {};
  #started = false;

  /** Sessions, most recent first. */
  readonly sessions = new LiveQueryValue(
    () => listConversations(getDb()),
    [] as ConversationRecord[]
  );
  /** Questions waiting for Claude, oldest first. */
  readonly queued = new LiveQueryValue(() => listQueued(), [] as QueuedChat[]);

  /** The open session (null: a new one starts with the next turn). */
  get id(): ConversationId | null {
    return this.#id;
  }
  get phase(): TurnPhase {
    return this.#phase;
  }
  /** The visible reply streaming now, and the turn it answers. */
  get streaming(): string | null {
    return this.#streaming;
  }
  get streamingFor(): TurnId | null {
    return this.#streamingFor;
  }
  get notice(): TurnNotice | null {
    return this.#notice;
  }

  /** Opens a session (its earlier turns go into the next requests), or null for a new one. */
  open(id: ConversationId | null): void {
    if (this.#id === id) return;
    this.#id = id;
    this.#notice = null;
  }

  /** Stops the reply streaming now (and its speech). */
  stop(): void {
    this.#controller?.abort();
    speechManager.cancel();
  }

  /**
   * Takes the person's turn: stored first (with its capture and the voice timings), then
   * answered. Resolves with the session id once the answer (or the coach's) is stored.
   */
  send(
    text: string,
    options: {
      captureId?: CaptureId | null;
      timings?: Record<string, number>;
      /** performance.now() when the person stopped speaking (voice turns). */
      speechEndedAt?: number;
    } = {}
  ): Promise<ConversationId | null> {
    const words = text.trim();
    if (!words) return Promise.resolve(this.#id);
    // "What did I say about Y" is answered on this device alone: no turn, nothing sent.
    const command = parseCommand(words);
    if (command?.kind === 'recall') {
      void recallManager.lookup(command.topic);
      return Promise.resolve(this.#id);
    }
    return this.#exclusive(async () => {
      const db = getDb();
      const id = this.#id ?? (await createConversation(db, titleFrom(words))).id;
      this.#id = id;
      this.#notice = null;
      const turn = await addTurn(db, {
        conversationId: id,
        role: 'user',
        text: words,
        source: 'person',
        captureId: options.captureId ?? null,
        timings: options.timings ?? {}
      });
      await this.#answer(turn, false, options.speechEndedAt);
      return id;
    });
  }

  /** Starts the outbox of queued questions: now, when the device comes online, and on its timer. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    globalThis.addEventListener?.('online', () => void this.#queue().drain(true));
    void this.#queue().drain();
  }

  /** Handles another kind of queued work in this outbox (retried with it, and when online). */
  handle(kind: Exclude<OutboxKind, 'chat'>, handler: OutboxHandler): void {
    this.#handlers[kind] = handler;
  }

  /** Queues other work in the outbox; it runs on the outbox's timer and when back online. */
  async enqueue(kind: Exclude<OutboxKind, 'chat'>, payload: unknown): Promise<void> {
    await this.#queue().enqueue(kind, payload);
    void this.#queue().schedule();
  }

  /** Retries every queued question now. */
  retryQueued(): Promise<void> {
    return this.#queue().drain(true);
  }

  // Answers a person's turn; `fromQueue` retries throw StillWaiting instead of asking the coach.
  async #answer(turn: TurnRecord, fromQueue: boolean, speechEndedAt?: number): Promise<void> {
    if (healthManager.reachable !== true || !healthManager.agentAvailable)
      await healthManager.refresh();
    const offline = globalThis.navigator?.onLine === false || healthManager.reachable !== true;
    if (offline || !healthManager.agentAvailable) {
      if (fromQueue) throw new StillWaiting('Claude cannot be reached yet.');
      if (offline) return this.#coachAndQueue(turn, 'The server is unreachable.');
      return this.#coach(turn, {
        kind: 'fallback',
        message: 'Claude is not configured on this server, so the on-device coach asked instead.'
      });
    }
    const controller = new AbortController();
    this.#controller = controller;
    const timings: Record<string, number> = { ...turn.timings };
    const started = performance.now();
    let stored: TurnId | null = null;
    // Speech can start before the reply is stored (its timings are written then) or after.
    const spoken = speechManager.begin(() => {
      timings.firstAudioMs = Math.round(performance.now() - started);
      if (stored) void getDb().turns.update(stored, { timings: { ...timings } });
    });
    this.#phase = 'thinking';
    this.#streamingFor = turn.id;
    try {
      const [candidates, history] = await Promise.all([
        this.#candidates(turn),
        this.#history(turn)
      ]);
      const context = selectContext(candidates);
      timings.contextMs = Math.round(performance.now() - started);
      const stream: StreamFn = (request, callbacks) =>
        streamChat(request, { ...callbacks, signal: controller.signal });
      const outcome = await runTurn(
        {
          text: turn.text,
          history,
          context,
          strategy: settingsManager.strategy,
          kind: commandTurnKind(turn.text)
        },
        turn.id,
        {
          stream,
          now: () => performance.now(),
          onPhase: (phase) => (this.#phase = phase),
          onVisible: (visible) => {
            this.#phase = 'replying';
            this.#streaming = visible;
            spoken.update(visible);
          }
        }
      );
      spoken.end();
      // Turn timings count from the request; the context search came before it.
      for (const [k, v] of Object.entries(outcome.timings)) timings[k] = v + timings.contextMs;
      if (speechEndedAt !== undefined && timings.firstTokenMs !== undefined)
        timings.speechToFirstTokenMs = Math.round(started + timings.firstTokenMs - speechEndedAt);
      const reply = await addTurn(getDb(), {
        conversationId: turn.conversationId,
        role: 'assistant',
        text: outcome.reply,
        source: 'claude',
        model: outcome.model,
        strategy: strategyName(settingsManager.strategy),
        sent: outcome.sent,
        citations: outcome.citations,
        timings: { ...timings }
      });
      stored = reply.id;
    } catch (err) {
      spoken.end();
      if (controller.signal.aborted) {
        this.#notice = { kind: 'error', message: 'Stopped. Your words are saved.' };
        return;
      }
      if (err instanceof AgentError && NOT_CONFIGURED.has(err.code)) {
        if (fromQueue) throw err;
        return this.#coach(turn, {
          kind: 'fallback',
          message: `${err.message} The on-device coach asked instead.`
        });
      }
      if (fromQueue) throw err;
      if (err instanceof AgentError && !err.useFallback) {
        this.#notice = {
          kind: 'error',
          message: `${err.message} Your words are saved in this session.`
        };
        return;
      }
      return this.#coachAndQueue(turn, err instanceof Error ? err.message : String(err));
    } finally {
      this.#controller = null;
      this.#phase = 'idle';
      this.#streaming = null;
      this.#streamingFor = null;
    }
  }

  async #coach(turn: TurnRecord, notice: TurnNotice): Promise<void> {
    const text = coachReply(turn.text);
    await addTurn(getDb(), {
      conversationId: turn.conversationId,
      role: 'assistant',
      text,
      source: 'offline-coach',
      // The coach's words are never the answer to the queued question; Claude's will be.
      timings: {}
    });
    this.#notice = notice;
    const spoken = speechManager.begin();
    spoken.update(text);
    spoken.end();
  }

  async #coachAndQueue(turn: TurnRecord, why: string): Promise<void> {
    const payload: ChatPayload = { conversationId: turn.conversationId, turnId: turn.id };
    await this.#queue().enqueue('chat', payload);
    void this.#queue().schedule();
    await this.#coach(turn, {
      kind: 'queued',
      message: `${why} The on-device coach asked meanwhile; your question is queued and Claude will answer it when the server can be reached.`
    });
  }

  // The notes for a turn: the last week's for a quiz, the topic's for a summary, else its words'.
  #candidates(turn: TurnRecord) {
    const source = contextSourceFor(turn.text);
    if (source.kind === 'recent') return searchManager.recentShareable(source.days);
    const exclude = turn.captureId ? [turn.captureId] : [];
    return searchManager.shareableContext(source.query, { limit: 8, exclude });
  }

  // Earlier turns of the session for the request: the person's and Claude's, never the coach's.
  async #history(turn: TurnRecord): Promise<PastTurn[]> {
    const turns = await listTurns(getDb(), turn.conversationId);
    return turns
      .filter((t) => t.createdAt < turn.createdAt && t.id !== turn.id)
      .filter((t) => t.source !== 'offline-coach')
      .map((t) => ({ role: t.role, text: t.text }));
  }

  #queue(): Outbox {
    // The handlers object is read per item, so kinds registered later are handled too.
    this.#handlers.chat ??= (payload) =>
      this.#exclusive(async () => {
        const { turnId } = payload as ChatPayload;
        const turn = await getDb().turns.get(turnId);
        if (!turn) return; // the session was deleted: nothing to answer
        if (await answered(turnId)) return;
        await this.#answer(turn, true);
      });
    this.#outbox ??= new Outbox(getDb(), this.#handlers);
    return this.#outbox;
  }

  // One turn at a time: a queued question never streams over the person's live one.
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(work, work);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}

/** Whether Claude already answered a person's turn (a retried queue item must not answer twice). */
async function answered(turnId: TurnId): Promise<boolean> {
  const turn = await getDb().turns.get(turnId);
  if (!turn) return false;
  const later = await getDb().turns.where('conversationId').equals(turn.conversationId).toArray();
  return later.some((t) => (t.sent as SentRecord | null)?.replyTo === turnId);
}

async function listQueued(): Promise<QueuedChat[]> {
  const items = await getDb().outbox.where('kind').equals('chat').sortBy('createdAt');
  const turns = await getDb().turns.bulkGet(items.map((i) => (i.payload as ChatPayload).turnId));
  return items.map((item, i) => ({
    item,
    ...(item.payload as ChatPayload),
    text: turns[i]?.text ?? ''
  }));
}

/** The app's learning conversation. */
export const conversationManager = new ConversationManager();
