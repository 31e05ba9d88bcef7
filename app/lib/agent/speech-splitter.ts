/**
 * Splits a streaming reply into sentences to speak one by one as tokens arrive. A sentence ends at
 * . ! ? or … (with closing quotes or brackets) followed by white space — but not after a known
 * abbreviation ("e.g.", "Dr."), a single initial ("J. S. Bach"), or inside a number ("3.14", an
 * ending "." is only final once a space follows). Citation marks like "[1]" are dropped from
 * speech. Pure: the same chunks always give the same sentences.
 */

const ABBREVIATIONS = new Set(
  `mr mrs ms dr prof sr jr st vs etc e.g i.e cf approx fig no vol ca al dept est inc ltd co corp mt ft jan feb mar apr jun jul aug sep sept oct nov dec`.split(
    ' '
  )
);

/** Whether the word before a "." is an abbreviation or an initial, so no sentence ends there. */
function isAbbreviation(word: string): boolean {
  const w = word.toLowerCase().replace(/^[("'“‘[]+/, '');
  return ABBREVIATIONS.has(w) || /^[a-z]$/i.test(w) || /^([a-z]\.)+[a-z]$/i.test(w);
}

/** Text as it should be spoken: citation marks and markdown emphasis removed, spaces collapsed. */
export function speakable(text: string): string {
  return text
    .replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .replace(/[*_`#]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Feeds text chunks in, takes complete sentences out. */
export class SentenceSplitter {
  #buffer = '';

  /** Adds a chunk; returns the sentences it completed (speakable, non-empty). */
  push(chunk: string): string[] {
    this.#buffer += chunk;
    const out: string[] = [];
    let from = 0;
    const re = /[.!?…]+["'”’)\]]*(?=\s)/g;
    let match: RegExpExecArray | null;
    while ((match = re.exec(this.#buffer)) !== null) {
      const end = match.index + match[0].length;
      if (match[0].startsWith('.') && match[0].length === 1) {
        const before = this.#buffer.slice(from, match.index);
        const word = /(\S+)$/.exec(before)?.[1] ?? '';
        if (isAbbreviation(word)) continue;
      }
      const sentence = speakable(this.#buffer.slice(from, end));
      if (sentence) out.push(sentence);
      from = end;
    }
    this.#buffer = this.#buffer.slice(from);
    return out;
  }

  /** The rest at the end of the reply (speakable; '' when nothing is left). */
  flush(): string {
    const rest = speakable(this.#buffer);
    this.#buffer = '';
    return rest;
  }
}

/** All sentences of a finished text. */
export function splitSentences(text: string): string[] {
  const splitter = new SentenceSplitter();
  const sentences = splitter.push(text);
  const rest = splitter.flush();
  return rest ? [...sentences, rest] : sentences;
}
