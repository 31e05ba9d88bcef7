import { Tensor, WhisperTimeStampLogitsProcessor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { fastTimestampRules, isTimestampRules } from '$lib/asr/timestamp-rules';
import { seededRandom } from './helpers/app-signal';

// Whisper's multilingual vocabulary: text below 50257 (end of text), timestamps from 50364.
const VOCAB = 51865;
const EOS = 50257;
const NO_TIMESTAMPS = 50363;
const BEGIN = 50364;
const INIT = [50258, 50259, 50359];

function original() {
  const Processor = WhisperTimeStampLogitsProcessor as unknown as new (
    config: Record<string, unknown>,
    init: number[]
  ) => (ids: bigint[][], logits: Tensor) => Tensor;
  return new Processor(
    { eos_token_id: EOS, no_timestamps_token_id: NO_TIMESTAMPS, max_initial_timestamp_index: 50 },
    INIT
  );
}

/** Logits where timestamps are, by `stampBias`, more or less likely than text as a whole. */
function logits(random: () => number, stampBias: number): Float32Array {
  const data = new Float32Array(VOCAB);
  for (let t = 0; t < VOCAB; t++) data[t] = random() * 4 + (t >= BEGIN ? stampBias : 0);
  return data;
}

const histories: [string, number[]][] = [
  ['at the first generated token', [...INIT]],
  ['after an opening timestamp', [...INIT, BEGIN]],
  ['after text', [...INIT, BEGIN, 400, 500]],
  ['after a closing timestamp', [...INIT, BEGIN, 400, BEGIN + 90]],
  ['after a timestamp pair', [...INIT, BEGIN, 400, BEGIN + 90, BEGIN + 90]]
];

describe('fastTimestampRules', () => {
  it('is recognised as timestamp rules, as the processor it replaces is', () => {
    expect(isTimestampRules(original())).toBe(true);
    expect(isTimestampRules(fastTimestampRules(original() as never))).toBe(true);
    expect(isTimestampRules(() => 0)).toBe(false);
  });

  it.each(histories)('masks exactly what Transformers.js masks %s', (_, history) => {
    const random = seededRandom(history.length);
    const ids = [history.map((t) => BigInt(t))];
    // Biases around the point where timestamps as a whole overtake the best text token.
    for (const bias of [-8, -4, -2, 0, 2, 4, 8]) {
      const data = logits(random, bias);
      const theirs = original()(ids, new Tensor('float32', data.slice(), [1, VOCAB]));
      const ours = data.slice();
      fastTimestampRules(original() as never)(ids, [{ data: ours }]);
      expect(Array.from(ours)).toEqual(Array.from(theirs.data as Float32Array));
    }
  });
});
