/**
 * The on-device fallback coach: when Claude is not configured or not reachable, it asks a
 * reflective question built from the person's own words. It is a fixed set of question patterns
 * filled with key terms picked from the transcript — no generated "AI" text — and the UI labels it
 * as the offline coach.
 */
import { tokenize } from '../search/tokenize';

const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have
  having he her here hers herself him himself his how i if in into is it its itself just let like me
  more most my myself no nor not now of off on once only or other our ours ourselves out over own
  really same she should so some such than that the their theirs them themselves then there these
  they this those through to too under until up very was we were what when where which while who whom
  why will with would you your yours yourself yourselves thing things stuff kind sort lot something
  actually basically maybe also know think thought going get got okay yeah um uh mean want way well
  today said say says one two make made much many even still back see seem seems use used using`.split(
    /\s+/
  )
);

/** The key terms of a transcript: frequent, longer, non-stopword words, most important first. */
export function keyTerms(transcript: string, max = 3): string[] {
  const counts = new Map<string, { count: number; first: number }>();
  tokenize(transcript).forEach((word, index) => {
    if (word.length < 4 || STOPWORDS.has(word) || /^\d+$/.test(word)) return;
    const entry = counts.get(word) ?? { count: 0, first: index };
    entry.count += 1;
    counts.set(word, entry);
  });
  return [...counts.entries()]
    .sort((a, b) => b[1].count - a[1].count || b[0].length - a[0].length || a[1].first - b[1].first)
    .slice(0, max)
    .map(([word]) => word);
}

const WITH_TWO = [
  (a: string, b: string) => `How are “${a}” and “${b}” connected in what you just described?`,
  (a: string, b: string) =>
    `If you had to teach “${a}” to a friend, how would “${b}” come into your explanation?`,
  (a: string, b: string) => `What would change about “${b}” if “${a}” were different?`
];
const WITH_ONE = [
  (a: string) => `How would you explain “${a}” to someone hearing about it for the first time?`,
  (a: string) => `What is one example of “${a}” from your own experience?`,
  (a: string) => `What part of “${a}” still feels unclear to you?`
];
const GENERAL = [
  'What is the single most important idea in what you just said?',
  'How would you explain this in your own words, in two sentences?'
];

/** A reflective follow-up question for a transcript. Deterministic for the same input. */
export function coachReply(transcript: string): string {
  const terms = keyTerms(transcript);
  const seed = [...transcript].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
  const [first, second] = terms;
  if (first && second) return WITH_TWO[seed % WITH_TWO.length]!(first, second);
  if (first) return WITH_ONE[seed % WITH_ONE.length]!(first);
  return GENERAL[seed % GENERAL.length]!;
}
