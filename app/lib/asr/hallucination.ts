/**
 * Guards against Whisper's known failure modes: repetition loops ("the the the …", a phrase
 * repeated until the token limit) and the stock phrases it invents for silence or noise
 * ("Thank you.", "Thanks for watching!") — dropped only when the VAD says there was little speech,
 * so a person who really says "thank you" keeps it.
 */

/** Normalised texts Whisper is known to produce from silence, music or noise. */
export const SILENCE_HALLUCINATIONS = new Set([
  'thank you',
  'thank you very much',
  'thanks',
  'thanks for watching',
  'thank you for watching',
  'thanks for watching and see you next time',
  'please subscribe',
  'subscribe to my channel',
  'like and subscribe',
  'subtitles by the amaraorg community',
  'you',
  'bye',
  'bye bye',
  'so',
  'okay',
  'oh',
  'the end',
  'music',
  'applause',
  'silence',
  'i'
]);

const simplify = (text: string) =>
  text
    .toLowerCase()
    .replace(/[♪♫*]/g, ' ')
    .replace(/[^a-z0-9' ]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Whether a text is nothing but a known silence hallucination (or empty, or only symbols). */
export function isSilenceHallucination(text: string): boolean {
  const clean = simplify(text.replace(/[.,!?;:]/g, ' '));
  return clean === '' || SILENCE_HALLUCINATIONS.has(clean);
}

/**
 * Collapses a phrase of 1–12 words repeated more than `maxRepeats` times in a row to one copy,
 * and a run of one repeated character (as in "hahahahaha…") longer than 8 to 3.
 */
export function collapseRepetitions(text: string, maxRepeats = 2): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const key = (w: string) => simplify(w);
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    let collapsed = false;
    for (let n = 1; n <= 12 && i + n * (maxRepeats + 1) <= words.length; n++) {
      let repeats = 1;
      while (
        i + (repeats + 1) * n <= words.length &&
        words
          .slice(i + repeats * n, i + (repeats + 1) * n)
          .every((w, k) => key(w) === key(words[i + k]!) && key(w) !== '')
      ) {
        repeats++;
      }
      if (repeats > maxRepeats) {
        out.push(...words.slice(i, i + n));
        i += repeats * n;
        collapsed = true;
        break;
      }
    }
    if (!collapsed) out.push(words[i++]!);
  }
  return out.join(' ').replace(/(\p{L})\1{8,}/gu, '$1$1$1');
}

/** Minimum share of speech frames for a stock phrase to be believed. */
export const MIN_SPEECH_RATIO_FOR_STOCK_PHRASE = 0.6;

/**
 * The text to keep for one segment: loops collapsed; empty when it is a stock silence phrase and
 * the VAD heard little speech (or its speech was shorter than a short word).
 */
export function guardSegmentText(text: string, speech: { ratio: number; seconds: number }): string {
  const collapsed = collapseRepetitions(text.trim());
  if (isSilenceHallucination(collapsed)) {
    const believable = speech.ratio >= MIN_SPEECH_RATIO_FOR_STOCK_PHRASE && speech.seconds >= 0.4;
    if (!believable || simplify(collapsed) === '') return '';
  }
  return collapsed;
}
