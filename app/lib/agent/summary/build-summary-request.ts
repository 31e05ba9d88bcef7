/**
 * The request for a finished session's title, summary, takeaways and tags: a pure function of the
 * session's turns and the captures it drew on. Only what may leave the device goes in: a turn
 * recorded as a private capture and every private capture are left out, and each capture passes
 * `assertShareable` right before its text is copied (privacy.ts).
 */
import type { ChatRequest } from '$contract';
import type { CaptureId } from '../../db/ids';
import { assertShareable, shareableOnly } from '../../db/privacy';

/** One turn of the session, with the privacy of the capture it was recorded as. */
export interface SummaryTurn {
  role: 'user' | 'assistant';
  text: string;
  /** True when the turn was recorded as a private capture (it is never sent). */
  private: boolean;
}

/** A capture the session drew on. */
export interface SummaryCapture {
  id: CaptureId;
  title: string;
  text: string;
  private: boolean;
}

/** Everything the summary request depends on. */
export interface SummaryInput {
  turns: readonly SummaryTurn[];
  captures: readonly SummaryCapture[];
  /** Characters kept of each capture's text (default 600). */
  maxCaptureChars?: number;
  maxTokens?: number;
}

/** The standing instructions: strict JSON with the four fields, nothing else. */
export const SUMMARY_SYSTEM_PROMPT = `You summarise a learning session between a person and their learning partner. Reply with only one JSON object, no prose and no code fences, with exactly these keys:
- "title": a short title for the session (at most 80 characters)
- "summary": two or three plain sentences on what the person learned
- "takeaways": an array of 3 to 5 short key takeaways, each one sentence
- "tags": an array of 2 to 5 short lower-case topic tags (one or two words each)
Use only what the session and the notes say; never invent facts about the person.`;

/** Builds the summary request; throws when no shareable turn is left to summarise. */
export function buildSummaryRequest(input: SummaryInput): ChatRequest {
  const max = input.maxCaptureChars ?? 600;
  const turns = shareableOnly(input.turns).filter((t) => t.text.trim() !== '');
  if (!turns.some((t) => t.role === 'user'))
    throw new Error('There is nothing shareable in this session to summarise.');
  const transcript = turns
    .map((t) => `${t.role === 'user' ? 'Person' : 'Partner'}: ${t.text.trim()}`)
    .join('\n');
  const notes = shareableOnly(input.captures).map((c) => {
    assertShareable(c);
    const text = c.text.trim();
    return `- ${c.title || 'Untitled capture'}: ${text.length > max ? `${text.slice(0, max)}…` : text}`;
  });
  const parts = [`<session>\n${transcript}\n</session>`];
  if (notes.length) parts.push(`<notes>\n${notes.join('\n')}\n</notes>`);
  parts.push('Now write the JSON object.');
  return {
    max_tokens: input.maxTokens ?? 600,
    stream: true,
    temperature: 0,
    system: SUMMARY_SYSTEM_PROMPT,
    messages: [{ role: 'user', content: parts.join('\n\n') }]
  };
}
