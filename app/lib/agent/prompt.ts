/**
 * The foundation's prompt: a learning-companion system prompt and the transcript as the user turn.
 * The conversation issue replaces this with unit-tested prompt builders and strategies.
 */
import type { ChatRequest } from '$contract';

/** The partner's standing instructions. */
export const SYSTEM_PROMPT = `You are a learning partner in a voice app. The person has just talked through something they are learning.
- Reply in at most three short sentences they can take in by ear.
- Reflect back the core idea in your own words, gently correcting anything that is wrong.
- End with exactly one follow-up question that deepens or checks their understanding.
- Never invent facts about the person or their notes.`;

/** Builds the Messages API request for a reply to one transcript. */
export function buildAskRequest(transcript: string, maxTokens = 400): ChatRequest {
  return {
    max_tokens: maxTokens,
    stream: true,
    system: SYSTEM_PROMPT,
    messages: [{ role: 'user', content: transcript }]
  };
}
