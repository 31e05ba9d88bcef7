/**
 * Decoder tokens carried between decodes, so a final can start from text already decoded instead
 * of generating it again token by token (the decoder, not the encoder, is most of a final's time
 * on a 10 s utterance). Model-agnostic form: text tokens are the tokenizer's ids (≥ 0); a
 * timestamp is negative, −(1 + its index in 20 ms steps), so callers can shift and compare them
 * without knowing where the model's timestamp ids begin.
 */

/** Whisper's timestamp resolution, in seconds. */
export const TIMESTAMP_STEP = 0.02;
/** The last timestamp a 30 s window can hold (index 1500). */
const MAX_TIMESTAMP_INDEX = 1500;

/** The timestamp token for a time (seconds), in the model-agnostic form. */
export function timestampToken(seconds: number): number {
  return -(1 + Math.round(seconds / TIMESTAMP_STEP));
}

/** Whether a token is a timestamp. */
export function isTimestamp(token: number): boolean {
  return token < 0;
}

/** The time (seconds) of a timestamp token. */
export function timestampSeconds(token: number): number {
  return (-token - 1) * TIMESTAMP_STEP;
}

/**
 * Tokens moved later in the audio by `seconds` (an utterance decoded on its own, then placed after
 * earlier audio); null when a timestamp would fall past the 30 s window.
 */
export function shiftTokens(tokens: readonly number[], seconds: number): number[] | null {
  const steps = Math.round(seconds / TIMESTAMP_STEP);
  const out: number[] = [];
  for (const t of tokens) {
    if (!isTimestamp(t)) out.push(t);
    else if (-t - 1 + steps > MAX_TIMESTAMP_INDEX) return null;
    else out.push(t - steps);
  }
  return out;
}

/**
 * LocalAgreement of two successive partial decodes of the same growing audio: the latest one's
 * tokens up to the last text token both agree on (text compared in order, timestamps skipped),
 * minus `holdBack` text tokens (the last agreed word can still be a fragment of a longer one).
 * A prefix ending inside a segment ends with text; timestamps inside it are the latest decode's.
 */
export function agreedPrefix(
  previous: readonly number[],
  latest: readonly number[],
  holdBack = 1
): number[] {
  const a = previous.filter((t) => !isTimestamp(t));
  let agreed = 0;
  let i = 0;
  for (const t of latest) {
    if (isTimestamp(t)) continue;
    if (a[i] !== t) break;
    agreed++;
    i++;
  }
  const keep = agreed - holdBack;
  if (keep <= 0) return [];
  let text = 0;
  for (let j = 0; j < latest.length; j++) {
    if (!isTimestamp(latest[j]!) && ++text === keep) return latest.slice(0, j + 1);
  }
  return [];
}

/**
 * Earlier decoded tokens followed by a later piece: only when the earlier ones end with a closing
 * timestamp and the later piece opens with one, so segments pair up as Whisper writes them; null
 * when they cannot.
 */
export function joinTokens(before: readonly number[], after: readonly number[]): number[] | null {
  if (after.length === 0) return [...before];
  if (before.length === 0) return [...after];
  const end = before.at(-1)!;
  if (!isTimestamp(end) || !isTimestamp(after[0]!)) return null;
  if (timestampSeconds(after[0]!) >= timestampSeconds(end)) return [...before, ...after];
  // The later piece opens inside the earlier one's last segment (its pre-roll overlaps that
  // segment's trailing silence): it opens where the earlier one closed, if it still ends after.
  const next = after.slice(1).find(isTimestamp);
  if (next !== undefined && timestampSeconds(next) <= timestampSeconds(end)) return null;
  return [...before, end, ...after.slice(1)];
}

/**
 * Whether tokens are a well-formed decode prefix: it opens with a timestamp and its timestamps
 * never go back in time.
 */
export function wellFormed(tokens: readonly number[]): boolean {
  if (tokens.length === 0) return true;
  if (!isTimestamp(tokens[0]!)) return false;
  let last = -Infinity;
  for (const t of tokens) {
    if (!isTimestamp(t)) continue;
    const s = timestampSeconds(t);
    if (s < last) return false;
    last = s;
  }
  return true;
}
