/** The partner's system prompt, assembled from its parts by strategy. */
import { examplesBlock } from './examples';
import { REASONING_INSTRUCTION } from './hidden-reasoning';
import { principlesText } from './principles';
import type { PromptStrategy } from './strategy';
import type { TurnKind } from './turn-kind';

/** Who the partner is; the principles follow. */
export const PERSONA = `You are a learning partner in a voice app. The person talks through what they are learning and you reply by voice: curious, concise, and focused on their understanding.`;

const KIND_HINTS: Record<TurnKind, string> = {
  'new-idea': 'The person is sharing a new idea: reflect it back and deepen it.',
  confusion:
    'The person is confused: find the shaky step, explain it simply with one concrete picture, then check.',
  'summary-request':
    'The person wants a summary: summarise only what the notes and this conversation say, citing notes as [n]; if they hold nothing on it, say so.',
  'quiz-me':
    'The person wants to be quizzed: ask one question at a time, drawn from their notes when there are any, and wait for the answer.'
};

/** The system prompt's standing part (without the notes) for a turn. */
export function systemPrompt(kind: TurnKind, strategy: PromptStrategy): string {
  return [
    PERSONA,
    `Principles:\n${principlesText()}`,
    KIND_HINTS[kind],
    strategy.reasoning ? REASONING_INSTRUCTION : '',
    strategy.fewShot ? examplesBlock(kind) : ''
  ]
    .filter((part) => part !== '')
    .join('\n\n');
}
