/**
 * Commands the person can say or type in a conversation: "quiz me on this week", "summarise what I
 * learned about X", "what did I say about Y". A pure parser, tolerant of how Whisper writes speech
 * (capitals, trailing punctuation, curly quotes, a leading "okay," or "please") and of both
 * spellings of summarise.
 */
import type { TurnKind } from './prompts/turn-kind';

/** A recognised command. */
export type Command =
  /** Quiz the person on the captures of the last `days` days. */
  | { kind: 'quiz'; days: number }
  /** Summarise what the library holds about `topic` (hybrid search as context). */
  | { kind: 'summarise'; topic: string }
  /** List, on this device only, the captures that match `topic`. */
  | { kind: 'recall'; topic: string };

const LEAD = /^(?:(?:ok(?:ay)?|so|hey|um+|uh+|now|and|please|can you|could you|would you)[\s,]+)*/;

const QUIZ =
  /^(?:quiz|test)\s+me\s+(?:on|about)\s+(?:(?:what\s+i\s+(?:learned|learnt|did)\s+)?(?:this|the\s+(?:past|last))\s+week(?:'s\s+(?:notes|captures))?)$/;
const SUMMARISE =
  /^(?:summari[sz]e|sum\s+up|give\s+me\s+a\s+summary\s+of)\s+(?:what\s+i(?:'ve|\s+have)?\s+(?:learned|learnt|know|noted)\s+(?:about|on|regarding)[\s,.…:]+)(.+)$/;
const RECALL =
  /^what\s+(?:did|have)\s+i\s+(?:say|said|talk|talked|note|noted|write|written)\s+(?:about|on|regarding)[\s,.…:]+(.+)$/;

/** Lower-cased, straight quotes, single spaces, without the fillers and end punctuation. */
export function normalizeCommandText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[“”"]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEAD, '')
    .replace(/[\s.!?…,;:]+$/, '')
    .trim();
}

// The topic as the person said it: without quotes, end punctuation or a leading article.
function topicOf(raw: string): string {
  return raw
    .replace(/^(?:the|my)\s+/, '')
    .replace(/[\s.!?…,;:]+$/, '')
    .trim();
}

/** The command in a turn's words, or null for an ordinary turn. */
export function parseCommand(text: string): Command | null {
  const t = normalizeCommandText(text);
  if (QUIZ.test(t)) return { kind: 'quiz', days: 7 };
  const summarise = SUMMARISE.exec(t);
  if (summarise) {
    const topic = topicOf(summarise[1]!);
    if (topic) return { kind: 'summarise', topic };
  }
  const recall = RECALL.exec(t);
  if (recall) {
    const topic = topicOf(recall[1]!);
    if (topic) return { kind: 'recall', topic };
  }
  return null;
}

/** The words a command button sends, parsed back by {@link parseCommand}. */
export function commandText(command: Command): string {
  switch (command.kind) {
    case 'quiz':
      return 'Quiz me on this week.';
    case 'summarise':
      return `Summarise what I learned about ${command.topic}.`;
    case 'recall':
      return `What did I say about ${command.topic}?`;
  }
}

/** Where a turn's notes come from: the captures of the last days, or a search. */
export type ContextSource = { kind: 'recent'; days: number } | { kind: 'search'; query: string };

/** A turn's notes: a quiz's from the last week, a summary's from its topic, else its words'. */
export function contextSourceFor(text: string): ContextSource {
  const command = parseCommand(text);
  if (command?.kind === 'quiz') return { kind: 'recent', days: command.days };
  if (command?.kind === 'summarise') return { kind: 'search', query: command.topic };
  return { kind: 'search', query: text };
}

/** The kind of turn a quiz or summary command asks for (undefined: classified from its words). */
export function commandTurnKind(text: string): TurnKind | undefined {
  const command = parseCommand(text);
  if (command?.kind === 'quiz') return 'quiz-me';
  if (command?.kind === 'summarise') return 'summary-request';
  return undefined;
}
