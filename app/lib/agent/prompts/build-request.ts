/**
 * Builds the Messages API requests of one turn: pure functions of the person's words, the earlier
 * turns, the chosen notes and the strategy, so each strategy has a snapshot test.
 */
import type { ChatMessage, ChatRequest } from '$contract';
import { contextBlock, type ContextItem } from '../context';
import { principlesText } from './principles';
import type { PromptStrategy } from './strategy';
import { systemPrompt } from './system-prompt';
import { classifyTurn, type TurnKind } from './turn-kind';

/** An earlier exchange of the session. */
export interface PastTurn {
  role: 'user' | 'assistant';
  text: string;
}

/** Everything a turn's request depends on. */
export interface TurnInput {
  text: string;
  history: readonly PastTurn[];
  context: readonly ContextItem[];
  strategy: PromptStrategy;
  /** The kind of turn when a command already says it (otherwise classified from the words). */
  kind?: TurnKind;
  maxTokens?: number;
  /** Earlier messages kept at most (the newest ones). */
  maxHistoryMessages?: number;
}

/** A turn's first request and the kind of turn it was built for. */
export interface BuiltTurn {
  kind: TurnKind;
  request: ChatRequest;
}

/**
 * The history as valid Messages API messages: consecutive same-role texts joined (a question that
 * waited in the queue, then another), starting with a user message, newest `max` kept.
 */
export function historyMessages(
  history: readonly PastTurn[],
  max = 12
): (ChatMessage & { content: string })[] {
  const merged: (ChatMessage & { content: string })[] = [];
  for (const turn of history) {
    const text = turn.text.trim();
    if (!text) continue;
    const last = merged.at(-1);
    if (last && last.role === turn.role) last.content = `${last.content}\n\n${text}`;
    else merged.push({ role: turn.role, content: text });
  }
  let kept = merged.slice(-max);
  while (kept[0] && kept[0].role !== 'user') kept = kept.slice(1);
  return kept;
}

/** The request for a turn's reply (the draft, when self-critique follows). */
export function buildTurnRequest(input: TurnInput): BuiltTurn {
  const kind = input.kind ?? classifyTurn(input.text);
  const notes = contextBlock(input.context);
  const system = [{ type: 'text' as const, text: systemPrompt(kind, input.strategy) }];
  if (notes) system.push({ type: 'text', text: notes });
  const messages = historyMessages(input.history, input.maxHistoryMessages);
  // The history ends with a user turn when an earlier question was never answered: join them.
  const last = messages.at(-1);
  if (last?.role === 'user') messages.pop();
  const text = last?.role === 'user' ? `${last.content}\n\n${input.text}` : input.text;
  messages.push({ role: 'user', content: text });
  return {
    kind,
    request: {
      // Hidden reasoning needs room before the reply starts.
      max_tokens: (input.maxTokens ?? 400) + (input.strategy.reasoning ? 600 : 0),
      stream: true,
      system,
      messages
    }
  };
}

/** The self-critique request: revise a draft against the principles, output only the reply. */
export function buildCritiqueRequest(input: TurnInput, draft: string): ChatRequest {
  const notes = contextBlock(input.context);
  const prompt = [
    `The person said:\n<said>\n${input.text}\n</said>`,
    notes || 'No notes were sent with this turn.',
    `A draft reply:\n<draft>\n${draft}\n</draft>`,
    'Check the draft against every principle. Then write the improved reply: only the reply itself, nothing about the check.'
  ].join('\n\n');
  return {
    max_tokens: input.maxTokens ?? 400,
    stream: true,
    system: `You revise a learning partner's draft replies so that they follow these principles:\n${principlesText()}`,
    messages: [{ role: 'user', content: prompt }]
  };
}
