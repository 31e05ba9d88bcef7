/**
 * Which tokens a final decode can start from: the tokens of the chunk's previous final (the audio
 * it is merged after) and what the last two partial decodes of the open utterance agree on. The
 * decoder then only generates the rest, which makes finals of long or merged utterances much
 * faster; the encoder still sees all the audio, so the rest is decoded with full context.
 */
import { VAD_RATE } from '../vad/segmenter';
import type { Ranges } from './decode-unit';
import { agreedPrefix, joinTokens, shiftTokens, wellFormed } from './forced-prefix';

/** Tracks partial tokens of the open utterance. */
export class PrefixTracker {
  /** Utterance start (sample) the partials below belong to. */
  private start: number | null = null;
  private partials: number[][] = [];

  /** A new utterance opened at `start`: earlier partials are forgotten. */
  reset(start: number | null): void {
    this.start = start;
    this.partials = [];
  }

  /** A partial decode of the open utterance's audio from `from` (a sample) returned `tokens`. */
  addPartial(from: number, tokens: number[] | undefined): void {
    if (from !== this.start || !tokens) {
      this.partials = [];
      return;
    }
    this.partials = [...this.partials.slice(-1), tokens];
  }

  /**
   * Tokens to force on the final decode of the utterance starting at `start`, decoded as `ranges`
   * (joined): `before` are the tokens of the chunk audio ahead of it (null when it starts a chunk;
   * undefined when that audio has no usable tokens). Undefined: decode from scratch.
   */
  forced(start: number, ranges: Ranges, before: number[] | null | undefined): number[] | undefined {
    if (before === undefined) return undefined;
    const offset = offsetOf(start, ranges);
    if (offset === null || (before === null && offset !== 0)) return undefined;
    const base = before ?? [];
    let agreed: number[] = [];
    if (start === this.start && this.partials.length === 2) {
      agreed = shiftTokens(agreedPrefix(this.partials[0]!, this.partials[1]!), offset) ?? [];
    }
    const joined = joinTokens(base, agreed) ?? base;
    return joined.length > 0 && wellFormed(joined) ? joined : undefined;
  }
}

/** Seconds from the start of the joined ranges to sample `at` (null: not inside them). */
function offsetOf(at: number, ranges: Ranges): number | null {
  let before = 0;
  for (const [a, b] of ranges) {
    if (at >= a && at < b) return (before + at - a) / VAD_RATE;
    before += b - a;
  }
  return null;
}
