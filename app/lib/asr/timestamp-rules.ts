/**
 * Whisper's timestamp rules, as Transformers.js' WhisperTimeStampLogitsProcessor applies them after
 * every generated token, computed without its log-softmax over the whole 51,865-token vocabulary
 * (~1.3 ms per token in V8, most of it allocating and exponentiating). The rule "sample a
 * timestamp when the timestamps' total probability beats every text token's" compares
 * log Σ exp(l_ts) − lse with max l_text − lse: the normaliser cancels, so a max over the text
 * logits and a log-sum-exp over the 1,501 timestamp logits decide it.
 */

/** The fields of Transformers.js' processor these rules read. */
export interface TimestampRuleFields {
  eos_token_id: number;
  no_timestamps_token_id: number;
  timestamp_begin: number;
  begin_index: number;
}

/** A logits processor (callable, as generate() calls them) carrying the same fields. */
export type TimestampRules = TimestampRuleFields & {
  (ids: readonly (readonly (bigint | number)[])[], logits: unknown): unknown;
  _call(ids: readonly (readonly (bigint | number)[])[], logits: unknown): unknown;
};

/** Whether a value is Transformers.js' timestamp processor (or these rules). */
export function isTimestampRules(value: unknown): value is TimestampRuleFields {
  const v = value as Partial<TimestampRuleFields> | null;
  return (
    !!v &&
    typeof v.timestamp_begin === 'number' &&
    typeof v.begin_index === 'number' &&
    typeof v.no_timestamps_token_id === 'number' &&
    typeof v.eos_token_id === 'number'
  );
}

/** The rules with the fields of `original` (Transformers.js' processor). */
export function fastTimestampRules(original: TimestampRuleFields): TimestampRules {
  const fields: TimestampRuleFields = {
    eos_token_id: original.eos_token_id,
    no_timestamps_token_id: original.no_timestamps_token_id,
    timestamp_begin: original.timestamp_begin,
    begin_index: original.begin_index
  };
  const call = (ids: readonly (readonly (bigint | number)[])[], logits: unknown) => {
    const rows = logits as { data: Float32Array }[];
    for (let i = 0; i < ids.length; i++) apply(rules, ids[i]!, rows[i]!.data);
    return logits;
  };
  const rules: TimestampRules = Object.assign(call, fields, { _call: call });
  return rules;
}

function apply(f: TimestampRuleFields, ids: readonly (bigint | number)[], data: Float32Array) {
  const begin = f.timestamp_begin;
  data[f.no_timestamps_token_id] = -Infinity;
  if (ids.length === f.begin_index) {
    data.fill(-Infinity, 0, begin);
    return;
  }
  // Timestamps come in pairs, except right before end-of-text.
  const generated = ids.length - f.begin_index;
  const last = generated >= 1 && Number(ids[ids.length - 1]) >= begin;
  const penultimate = generated < 2 || Number(ids[ids.length - 2]) >= begin;
  if (last) {
    if (penultimate) data.fill(-Infinity, begin);
    else data.fill(-Infinity, 0, f.eos_token_id);
  }
  let maxText = -Infinity;
  for (let t = 0; t < begin; t++) if (data[t]! > maxText) maxText = data[t]!;
  let maxStamp = -Infinity;
  for (let t = begin; t < data.length; t++) if (data[t]! > maxStamp) maxStamp = data[t]!;
  if (maxStamp === -Infinity) return;
  let sum = 0;
  for (let t = begin; t < data.length; t++) sum += Math.exp(data[t]! - maxStamp);
  if (maxStamp + Math.log(sum) > maxText) data.fill(-Infinity, 0, begin);
}
