/**
 * Word error rate with a documented English normaliser, equivalent in intent to Whisper's
 * EnglishTextNormalizer for the cases the eval set contains:
 *  1. lower-case; drop bracketed and angle-bracketed tokens ([adif], <VOCNOISE>, (laughs));
 *  2. hyphens and slashes become spaces; "%" becomes "percent", "&" becomes "and";
 *  3. numbers written with digits are spelled out ("1455" → "fourteen fifty five" for 1100–1999,
 *     otherwise cardinal words), since the references spell them out;
 *  4. keep only a–z, 0–9, apostrophes and spaces; drop possessive-free apostrophes at word edges;
 *  5. common abbreviations and British spellings map to one form (mr → mister, honour → honor…);
 *  6. fillers (uh, um, hmm, mm, er, ah, yknow) are removed from both sides;
 *  7. whitespace collapses.
 */

const FILLERS = new Set(['uh', 'um', 'umm', 'hmm', 'mm', 'mhm', 'er', 'erm', 'ah', 'yknow']);

const SPELLINGS: Record<string, string> = {
  mr: 'mister',
  mrs: 'missus',
  dr: 'doctor',
  st: 'saint',
  ok: 'okay',
  honour: 'honor',
  honoured: 'honored',
  dishonoured: 'dishonored',
  colour: 'color',
  favour: 'favor',
  favourite: 'favorite',
  labour: 'labor',
  neighbour: 'neighbor',
  behaviour: 'behavior',
  counselled: 'counseled',
  travelled: 'traveled',
  centre: 'center',
  theatre: 'theater',
  grey: 'gray',
  realise: 'realize',
  recognise: 'recognize'
};

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen'
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function below100(n: number): string {
  if (n < 20) return ONES[n]!;
  return `${TENS[Math.floor(n / 10)]}${n % 10 ? ` ${ONES[n % 10]}` : ''}`;
}

/** Spells a non-negative integer in English words (cardinal; years 1100–1999 as spoken). */
export function spellNumber(n: number): string {
  if (!Number.isFinite(n) || n < 0 || n >= 1e12) return String(n);
  if (n >= 1100 && n < 2000 && n % 100 !== 0) {
    return `${below100(Math.floor(n / 100))} ${n % 100 < 10 ? `oh ${ONES[n % 100]}` : below100(n % 100)}`;
  }
  const parts: string[] = [];
  const scales: [number, string][] = [
    [1e9, 'billion'],
    [1e6, 'million'],
    [1e3, 'thousand']
  ];
  let rest = n;
  for (const [size, name] of scales) {
    if (rest >= size) {
      parts.push(`${spellNumber(Math.floor(rest / size))} ${name}`);
      rest %= size;
    }
  }
  if (rest >= 100) {
    parts.push(`${ONES[Math.floor(rest / 100)]} hundred`);
    rest %= 100;
  }
  if (rest > 0 || parts.length === 0) parts.push(below100(rest));
  return parts.join(' ');
}

/** Normalises a transcript for scoring (see the module comment for the rules). */
export function normalizeForWer(text: string): string {
  return text
    .toLowerCase()
    .replace(/\[[^\]]*\]|<[^>]*>|\([^)]*\)/g, ' ')
    .replace(/[-/]/g, ' ')
    .replace(/%/g, ' percent ')
    .replace(/&/g, ' and ')
    .replace(/(\d),(?=\d{3})/g, '$1')
    .replace(/\d+/g, (digits) => ` ${spellNumber(Number(digits))} `)
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .map((w) => SPELLINGS[w] ?? w)
    .filter((w) => w !== '' && !FILLERS.has(w))
    .join(' ');
}

/** Edit-distance counts between a reference and a hypothesis (already normalised word lists). */
export interface WerCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Reference words. */
  words: number;
}

/** Levenshtein alignment over words. */
export function werCounts(reference: string[], hypothesis: string[]): WerCounts {
  const n = reference.length;
  const m = hypothesis.length;
  type Cell = [cost: number, s: number, d: number, i: number];
  let prev: Cell[] = Array.from({ length: m + 1 }, (_, j) => [j, 0, 0, j] as Cell);
  for (let i = 1; i <= n; i++) {
    const row: Cell[] = [[i, 0, i, 0]];
    for (let j = 1; j <= m; j++) {
      const same = reference[i - 1] === hypothesis[j - 1];
      const diag = prev[j - 1]!;
      const up = prev[j]!;
      const left = row[j - 1]!;
      const options: Cell[] = [
        [diag[0] + (same ? 0 : 1), diag[1] + (same ? 0 : 1), diag[2], diag[3]],
        [up[0] + 1, up[1], up[2] + 1, up[3]],
        [left[0] + 1, left[1], left[2], left[3] + 1]
      ];
      row.push(options.reduce((a, b) => (b[0] < a[0] ? b : a)));
    }
    prev = row;
  }
  const [, substitutions, deletions, insertions] = prev[m]!;
  return { substitutions, deletions, insertions, words: n };
}

/** WER of one hypothesis against its reference, both normalised first. */
export function wordErrorRate(reference: string, hypothesis: string): WerCounts & { wer: number } {
  const counts = werCounts(
    normalizeForWer(reference).split(' ').filter(Boolean),
    normalizeForWer(hypothesis).split(' ').filter(Boolean)
  );
  const errors = counts.substitutions + counts.deletions + counts.insertions;
  return { ...counts, wer: counts.words === 0 ? (errors > 0 ? 1 : 0) : errors / counts.words };
}

/** Pooled WER over many utterances (total errors / total reference words). */
export function pooledWer(counts: readonly WerCounts[]): number {
  const words = counts.reduce((n, c) => n + c.words, 0);
  const errors = counts.reduce((n, c) => n + c.substitutions + c.deletions + c.insertions, 0);
  return words === 0 ? 0 : errors / words;
}

/** Where a hypothesis loses or repeats passages: the longest runs of deleted and inserted words. */
export interface PassageCheck {
  longestDeletionRun: number;
  longestInsertionRun: number;
  /** Word 4-grams that occur more often in the hypothesis than in the reference. */
  duplicatedNgrams: string[];
}

/** Checks a long transcript for dropped or duplicated passages (both sides normalised). */
export function passageCheck(reference: string, hypothesis: string): PassageCheck {
  const ref = normalizeForWer(reference).split(' ').filter(Boolean);
  const hyp = normalizeForWer(hypothesis).split(' ').filter(Boolean);
  const n = ref.length;
  const m = hyp.length;
  const cost = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  );
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      cost[i]![j] = Math.min(
        cost[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1),
        cost[i - 1]![j]! + 1,
        cost[i]![j - 1]! + 1
      );
  let i = n;
  let j = m;
  let del = 0;
  let ins = 0;
  let longestDeletionRun = 0;
  let longestInsertionRun = 0;
  while (i > 0 || j > 0) {
    const here = cost[i]![j]!;
    if (i > 0 && j > 0 && here === cost[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      i--;
      j--;
      del = 0;
      ins = 0;
    } else if (i > 0 && here === cost[i - 1]![j]! + 1) {
      i--;
      longestDeletionRun = Math.max(longestDeletionRun, ++del);
      ins = 0;
    } else {
      j--;
      longestInsertionRun = Math.max(longestInsertionRun, ++ins);
      del = 0;
    }
  }
  const grams = (words: string[]) => {
    const counts = new Map<string, number>();
    for (let k = 0; k + 4 <= words.length; k++) {
      const g = words.slice(k, k + 4).join(' ');
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    return counts;
  };
  const refGrams = grams(ref);
  const duplicatedNgrams = [...grams(hyp)]
    .filter(([g, c]) => c > 1 && c > (refGrams.get(g) ?? 0))
    .map(([g]) => g);
  return { longestDeletionRun, longestInsertionRun, duplicatedNgrams };
}
