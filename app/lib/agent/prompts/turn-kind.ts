/**
 * The kind of a turn, from the person's words alone: a pure, rule-based classifier that picks the
 * few-shot examples (examples.ts). Order matters: an explicit request (quiz, summary) wins over
 * confusion, and confusion over a plain new idea.
 */

/** What the person is doing in a turn. */
export type TurnKind = 'new-idea' | 'confusion' | 'summary-request' | 'quiz-me';

/** Every kind, in the order the classifier checks them. */
export const TURN_KINDS: readonly TurnKind[] = [
  'quiz-me',
  'summary-request',
  'confusion',
  'new-idea'
];

const QUIZ = [
  /\bquiz(ze)?\s+me\b/,
  /\btest\s+(me|my\s+(understanding|knowledge))\b/,
  /\bask\s+me\s+(some\s+|a\s+few\s+)?questions?\b/,
  /\bcheck\s+(if|whether|that)\s+i\s+(understand|know|remember)\b/,
  /\bflash\s?cards?\b/
];
const SUMMARY = [
  /\bsumm(ar(y|i[sz]e))\b/,
  /\brecap\b/,
  /\bwhat\s+(did|have)\s+i\s+(say|said|learn|learned|learnt|note|noted)\b/,
  /\b(key|main)\s+(points|takeaways|ideas)\b/,
  /\bremind\s+me\s+(of\s+)?what\b/
];
const CONFUSION = [
  /\b(i\s+)?(don'?t|do\s+not|didn'?t)\s+(really\s+)?(get|understand|see)\b/,
  /\bconfus(ed|ing)\b/,
  /\bnot\s+sure\s+(why|how|what|if|whether)\b/,
  /\bwhy\s+(does|do|is|are|would)\b/,
  /\bmakes?\s+no\s+sense\b/,
  /\bdoesn'?t\s+make\s+sense\b/,
  /\b(lost|stuck)\b/,
  /\bwhat\s+is\s+the\s+difference\b/
];

/** Classifies a turn's text (case and curly apostrophes ignored). */
export function classifyTurn(text: string): TurnKind {
  const t = text.toLowerCase().replace(/[’‘]/g, "'");
  if (QUIZ.some((re) => re.test(t))) return 'quiz-me';
  if (SUMMARY.some((re) => re.test(t))) return 'summary-request';
  if (CONFUSION.some((re) => re.test(t))) return 'confusion';
  return 'new-idea';
}
