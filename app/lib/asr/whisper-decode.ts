/**
 * One Whisper decode of at most 30 s of audio through Transformers.js' model, processor and
 * tokenizer (taken from the loaded pipeline), with what the pipeline call lacks: custom vocabulary
 * as prompt tokens (`<|startofprev|> words … <|startoftranscript|>`), and a single pass with
 * segment timestamps instead of the seek loop.
 */
import { Tensor } from '@huggingface/transformers';
import { encoderFrames } from './encoder-window';
import { isTimestamp } from './forced-prefix';
import { languageCode } from './languages';
import { fastTimestampRules, isTimestampRules } from './timestamp-rules';
import { LogMel } from './log-mel';
import { encoderStopHook } from './staged-encoder';

/** The parts of a Transformers.js ASR pipeline this decoder uses (typed loosely: internal API). */
export interface WhisperParts {
  model: {
    generate(args: Record<string, unknown>): Promise<unknown>;
    generation_config?: {
      lang_to_id?: Record<string, number>;
      task_to_id?: Record<string, number>;
      decoder_start_token_id?: number;
      no_timestamps_token_id?: number;
      eos_token_id?: number | number[];
      is_multilingual?: boolean;
    };
  };
  processor: ((
    audio: Float32Array
  ) => Promise<{ input_features: { slice(...ranges: (number[] | null)[]): unknown } }>) & {
    /** The Whisper feature extractor's settings, when exposed (log-mel.ts computes with them). */
    feature_extractor?: {
      window?: ArrayLike<number>;
      config?: { mel_filters?: ArrayLike<ArrayLike<number>>; n_fft?: number; hop_length?: number };
    };
  };
  tokenizer: {
    encode(text: string, options?: Record<string, unknown>): number[];
    convert_tokens_to_ids(tokens: string[]): (number | undefined)[];
    _decode_asr(
      chunks: Record<string, unknown>[],
      options: Record<string, unknown>
    ): [string, { chunks?: { timestamp: [number | null, number | null]; text: string }[] }];
  };
}

/** Whether a pipeline exposes the parts (real Transformers.js pipelines do; test fakes do not). */
export function hasWhisperParts(value: unknown): value is WhisperParts {
  const v = value as Partial<WhisperParts> | null;
  return !!v && typeof v.model?.generate === 'function' && typeof v.processor === 'function';
}

/** Longest prompt, in tokens: Whisper allows half its 448-token context for the previous text. */
export const MAX_PROMPT_TOKENS = 223;

/** Options of one decode. */
export interface DecodeOptions {
  language: string;
  /** Custom vocabulary or context, spoken-style text. */
  prompt?: string;
  /** Segment timestamps (partial decodes skip them: fewer tokens, faster). */
  timestamps: boolean;
  /** The encoder accepts windows shorter than 30 s (encoder-window.ts): size it to the audio. */
  variableEncoder?: boolean;
  /** Polled after every generated token; true ends the decode (it then throws {@link Cancelled}). */
  shouldStop?: () => boolean;
  /**
   * Tokens the output starts with (forced-prefix.ts form; timestamp decodes only): text already
   * decoded, fed in one pass instead of generated token by token.
   */
  forced?: readonly number[];
}

/** A decode stopped on request. */
export class Cancelled extends Error {
  override name = 'Cancelled';
  constructor() {
    super('The transcription was cancelled.');
  }
}

/**
 * A logits processor that, once `stop()` holds, leaves end-of-text the only choice, so generate()
 * ends after the current token. (Whisper's generate() drops `stopping_criteria`; its logits
 * processors do run, after this one, and never forbid end-of-text.)
 */
function stopProcessor(stop: () => boolean, eos: number) {
  return (_ids: unknown, logits: { data: Float32Array; dims: number[] }) => {
    if (stop()) {
      const vocab = logits.dims.at(-1)!;
      logits.data.fill(-Infinity);
      for (let row = 0; row * vocab < logits.data.length; row++) logits.data[row * vocab + eos] = 0;
    }
    return logits;
  };
}

function eos(parts: WhisperParts): number {
  const configured = parts.model.generation_config?.eos_token_id;
  const id = Array.isArray(configured) ? configured[0] : configured;
  return id ?? parts.tokenizer.convert_tokens_to_ids(['<|endoftext|>'])[0] ?? 50257;
}

/**
 * Decodes ≤ 30 s of 16 kHz audio (on a shorter encoder window when the model allows it); returns
 * the pipeline's output shape ({ text, chunks }).
 */
export async function decodeWhisper(
  parts: WhisperParts,
  audio: Float32Array,
  options: DecodeOptions
): Promise<{
  text: string;
  chunks?: { timestamp: [number | null, number | null]; text: string }[];
  /** The output's tokens (forced-prefix.ts form), with timestamps only. */
  tokens?: number[];
}> {
  const { model, tokenizer } = parts;
  const id = (token: string) => tokenizer.convert_tokens_to_ids([token])[0];
  const config = model.generation_config ?? {};
  const sot = config.decoder_start_token_id ?? id('<|startoftranscript|>')!;
  const init: number[] = [sot];
  if (config.is_multilingual !== false && config.lang_to_id) {
    const lang = config.lang_to_id[`<|${languageCode(options.language)}|>`];
    if (lang !== undefined) init.push(lang);
    const task = config.task_to_id?.transcribe ?? id('<|transcribe|>');
    if (task !== undefined) init.push(task);
  }
  if (!options.timestamps) init.push(config.no_timestamps_token_id ?? id('<|notimestamps|>')!);
  let prefix: number[] = [];
  const prompt = options.prompt?.trim();
  const startOfPrev = id('<|startofprev|>');
  if (prompt && startOfPrev !== undefined) {
    const tokens = tokenizer.encode(` ${prompt}`, { add_special_tokens: false });
    prefix = [startOfPrev, ...tokens.slice(-MAX_PROMPT_TOKENS)];
  }
  const timestampBegin = (config.no_timestamps_token_id ?? id('<|notimestamps|>')!) + 1;
  const end = eos(parts);
  const forced = options.timestamps
    ? (options.forced ?? []).map((t) => (isTimestamp(t) ? timestampBegin - t - 1 : t))
    : [];
  const decoderInput = [...prefix, ...init, ...forced];
  const initEnd = prefix.length + init.length;
  if (options.shouldStop?.()) throw new Cancelled();
  const frames = options.variableEncoder ? encoderFrames(audio.length) : 3000;
  const inputs = await features(parts, audio, frames);
  const processors = forcedAware(initEnd);
  if (options.shouldStop) processors.push(stopProcessor(options.shouldStop, end));
  const budget = Math.ceil(32 + (audio.length / 16_000) * 8) - forced.length;
  // An encoder run in stages stops between them too (staged-encoder.ts): a cancelled decode no
  // longer holds the next one up for a whole encoder pass.
  const stopEncoder = options.shouldStop ? encoderStopHook(parts) : null;
  stopEncoder?.(options.shouldStop);
  const output = (await model
    .generate({
      inputs,
      decoder_input_ids: decoderInput,
      return_timestamps: options.timestamps,
      logits_processor: processors,
      // After forced text, end-of-text may come first (the forced text can be all there is).
      ...(forced.length ? { begin_suppress_tokens: null } : {}),
      // A token budget makes generate() run one pass over this window (no seek loop); scaled to
      // the audio so a repetition loop stops early instead of running to the context limit.
      max_new_tokens: Math.max(8, Math.min(440 - decoderInput.length, budget))
    })
    .finally(() => stopEncoder?.(undefined))) as { tolist(): unknown[][] };
  if (options.shouldStop?.()) throw new Cancelled();
  const sequence = output.tolist()[0] ?? [];
  const generated = sequence.slice(prefix.length);
  const tokens = options.timestamps
    ? sequence
        .slice(initEnd)
        .map(Number)
        .filter((t) => t < end || t >= timestampBegin)
        .map((t) => (t >= timestampBegin ? -(1 + t - timestampBegin) : t))
    : undefined;
  const [text, optional] = tokenizer._decode_asr(
    [{ tokens: generated, stride: [audio.length / 16_000, 0, 0] }],
    { time_precision: 0.02, return_timestamps: options.timestamps, force_full_sequences: false }
  );
  return { text, chunks: optional?.chunks, tokens };
}

const melCaches = new WeakMap<WhisperParts, LogMel | null>();

/**
 * The encoder input for `audio` on a window of `frames`: from the cached incremental log-mel when
 * the extractor's settings are Whisper's usual ones, else from the pipeline's processor.
 */
async function features(parts: WhisperParts, audio: Float32Array, frames: number) {
  let mel = melCaches.get(parts);
  if (mel === undefined) {
    const extractor = parts.processor.feature_extractor;
    const { mel_filters, n_fft, hop_length } = extractor?.config ?? {};
    mel =
      mel_filters && extractor?.window && n_fft === 400 && hop_length === 160
        ? new LogMel(mel_filters, extractor.window)
        : null;
    melCaches.set(parts, mel);
  }
  if (mel) return new Tensor('float32', mel.features(audio, frames), [1, mel.mels, frames]);
  const { input_features } = await parts.processor(audio);
  return frames < 3000 ? input_features.slice(null, null, [0, frames]) : input_features;
}

/**
 * A logits-processor list for generate() that moves Whisper's timestamp rules to the end of the
 * start tokens (generate() would begin them after forced tokens too, and so force a timestamp
 * right after forced text), and swaps Transformers.js' timestamp processor, which generate()
 * pushes onto the list, for the same rules computed faster (timestamp-rules.ts).
 */
function forcedAware(initEnd: number): unknown[] {
  const list: unknown[] = [];
  list.push = (...items: unknown[]) =>
    Array.prototype.push.apply(
      list,
      items.map((item) => {
        if (!isTimestampRules(item)) return item;
        const rules = fastTimestampRules(item);
        rules.begin_index = initEnd;
        return rules;
      })
    );
  return list;
}
