/**
 * One turn with Claude, independent of the UI: builds the request for the strategy, streams it
 * (the draft, then the self-critique revision when that is on), hides the hidden reasoning, finds
 * the notes the reply cites, and records exactly what was sent and how long each stage took.
 */
import type { ChatRequest } from '$contract';
import type { CaptureId, TurnId } from '../db/ids';
import { citedCaptures, type ContextItem } from './context';
import { buildCritiqueRequest, buildTurnRequest, type TurnInput } from './prompts/build-request';
import { visibleReply } from './prompts/hidden-reasoning';
import type { TurnKind } from './prompts/turn-kind';

/** What a reply sent to the cloud, stored with it (TurnRecord.sent). */
export interface SentRecord {
  /** The exact request bodies, in order: the reply's, or the draft's then the revision's. */
  requests: ChatRequest[];
  /** The notes sent, with the captures they came from. */
  context: ContextItem[];
  kind: TurnKind;
  /** The person's turn this reply answers. */
  replyTo: TurnId;
}

/** Streams one request: text deltas, and a call when the response starts. */
export type StreamFn = (
  request: ChatRequest,
  callbacks: { onText: (delta: string) => void; onResponse: () => void }
) => Promise<{ text: string; model: string | null }>;

/** What a turn needs from outside. */
export interface TurnDeps {
  stream: StreamFn;
  now(): number;
  /** The visible reply so far, as it streams (never the hidden reasoning or the draft). */
  onVisible?(visible: string): void;
  /** The self-critique pass: the draft is being written (nothing is shown yet) or revised. */
  onPhase?(phase: 'drafting' | 'revising'): void;
}

/** A finished turn. */
export interface TurnOutcome {
  reply: string;
  model: string | null;
  sent: SentRecord;
  citations: CaptureId[];
  /** Milliseconds from the start of the turn's first request: response, draft, first token, end. */
  timings: Record<string, number>;
}

/** Runs a turn. Throws what `stream` throws (the caller decides on the queue and the coach). */
export async function runTurn(
  input: TurnInput,
  replyTo: TurnId,
  deps: TurnDeps
): Promise<TurnOutcome> {
  const start = deps.now();
  const timings: Record<string, number> = {};
  const mark = (name: string) => (timings[name] ??= Math.round(deps.now() - start));
  const { kind, request } = buildTurnRequest(input);
  const requests: ChatRequest[] = [request];
  const critique = input.strategy.selfCritique;

  const shown = async (req: ChatRequest) => {
    let raw = '';
    let visible = '';
    const result = await deps.stream(req, {
      onResponse: () => mark('responseMs'),
      onText: (delta) => {
        raw += delta;
        const next = visibleReply(raw);
        if (next.length > visible.length) {
          mark('firstTokenMs');
          visible = next;
          deps.onVisible?.(visible);
        }
      }
    });
    return { text: visibleReply(result.text), model: result.model };
  };

  let result: { text: string; model: string | null };
  if (critique) {
    deps.onPhase?.('drafting');
    const draft = await deps.stream(request, {
      onResponse: () => mark('responseMs'),
      onText: () => undefined
    });
    mark('draftMs');
    const revision = buildCritiqueRequest(input, visibleReply(draft.text));
    requests.push(revision);
    deps.onPhase?.('revising');
    result = await shown(revision);
    result.model ??= draft.model;
  } else {
    result = await shown(request);
  }
  mark('totalMs');
  return {
    reply: result.text.trim(),
    model: result.model,
    sent: { requests, context: [...input.context], kind, replyTo },
    citations: citedCaptures(result.text, input.context),
    timings
  };
}
