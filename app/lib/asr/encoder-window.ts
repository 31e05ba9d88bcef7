/**
 * Whisper's encoder on less than 30 s of audio. The exported encoder adds its 1500 positional
 * embeddings to the convolution output, so any shorter input fails ("Attempting to broadcast an
 * axis by a dimension other than 1"). {@link variableLengthEncoder} rewrites the graph so the
 * embeddings are sliced to the input's length (whisper.cpp's `audio_ctx`); at 3000 frames it
 * computes exactly what the stock encoder does (unless its attention scores are made int8, which
 * the app does: encoder-attention.ts). Attention cost grows with the square of the
 * window, so a short utterance on a 15 s window decodes about twice as fast (bench:asr
 * --encoder-window measures it).
 */
import { int8ScoreNodes } from './encoder-attention';
import {
  fields,
  lengthDelimited,
  concat,
  nameField,
  nodeProto as node,
  stringField,
  textOf,
  varint
} from './onnx-fields';

/** The Add node that adds the positional embeddings in the Transformers.js (optimum) export. */
const POSITION_ADD = '/Add_2';
/** Encoder outputs holding attention maps (`output_attentions` in the export). */
const ATTENTION_OUTPUT = /^encoder_attentions\./;

/** TensorProto of one int64: dims 1, data_type 2 (7 = INT64), name 8, raw_data 9. */
function int64Scalar1d(name: string, value: number): Uint8Array {
  const raw = new Uint8Array(8);
  new DataView(raw.buffer).setBigInt64(0, BigInt(value), true);
  return concat([
    lengthDelimited(1, varint(1)),
    varint((2 << 3) | 0),
    varint(7),
    stringField(8, name),
    lengthDelimited(9, raw)
  ]);
}

/**
 * Returns the encoder model with its positional embeddings sliced to the input length and without
 * its attention-map outputs; with `int8Scores`, its attention scores computed in int8
 * (encoder-attention.ts). Throws when the graph is not the expected export (the caller then
 * keeps the stock 30 s encoder).
 */
export function variableLengthEncoder(bytes: Uint8Array, int8Scores = true): Uint8Array {
  const top = fields(bytes);
  const graphField = top.find((f) => f.field === 7);
  if (!graphField) throw new Error('Not an ONNX model (no graph).');
  const graph = fields(graphField.body);
  const initializers = new Set(graph.filter((f) => f.field === 5).map((f) => nameField(f.body, 8)));
  let embedding = '';
  const rewritten = graph.map((f) => {
    const original = graphField.body.subarray(f.start, f.end);
    // Graph outputs (ValueInfoProto, name 1): the per-layer attention maps go. Nothing reads them
    // (word timestamps use the decoder's cross-attentions), yet onnxruntime-web copies all 96 MB of
    // them out of wasm memory on every 20 s window (measured 540–590 vs 596–621 ms per run).
    if (f.field === 12)
      return ATTENTION_OUTPUT.test(nameField(f.body, 1)) ? new Uint8Array() : original;
    if (f.field !== 1) return original;
    const scores = int8Scores ? int8ScoreNodes(f.body) : null;
    if (scores) return concat(scores.map((n) => lengthDelimited(1, n)));
    const parts = fields(f.body);
    if (textOf(parts.find((x) => x.field === 3)?.body) !== POSITION_ADD) return original;
    const inputs = parts.filter((x) => x.field === 1).map((x) => textOf(x.body));
    embedding =
      inputs.find((i) => initializers.has(i) || /embed_positions|Constant/.test(i)) ??
      inputs[1] ??
      '';
    const activation = inputs.find((i) => i !== embedding) ?? '';
    const add = parts.map((x) =>
      x.field === 1 && textOf(x.body) === embedding
        ? stringField(1, 'lva/pos_sliced')
        : f.body.subarray(x.start, x.end)
    );
    // length = Shape(activation)[1]; embeddings[0:length] along axis 0.
    const added = [
      node('Shape', 'lva/shape', [activation], ['lva/shape_out']),
      node('Slice', 'lva/len', ['lva/shape_out', 'lva/one', 'lva/two', 'lva/zero'], ['lva/len']),
      node('Slice', 'lva/pos', [embedding, 'lva/zero', 'lva/len', 'lva/zero'], ['lva/pos_sliced'])
    ].map((n) => lengthDelimited(1, n));
    return concat([...added, lengthDelimited(1, concat(add))]);
  });
  if (!embedding) throw new Error(`The encoder has no ${POSITION_ADD} node: a different export.`);
  const constants = [
    int64Scalar1d('lva/zero', 0),
    int64Scalar1d('lva/one', 1),
    int64Scalar1d('lva/two', 2)
  ].map((t) => lengthDelimited(5, t));
  const newGraph = concat([...rewritten, ...constants]);
  return concat(
    top.map((f) => (f.field === 7 ? lengthDelimited(7, newGraph) : bytes.subarray(f.start, f.end)))
  );
}

/** Mel frames per second of audio (10 ms hop). */
const FRAMES_PER_SECOND = 100;

/**
 * Encoder window (mel frames) for audio of this length. Measured on the eval clips
 * (bench:asr --encoder-window): the window must leave about 5 s beyond the speech, or Whisper
 * degrades (a 10 s window on 9.5 s clips: WER 305 %; a 15 s window on them: as good as 30 s).
 * So: the smallest 5 s step at least 5.5 s longer than the audio, 15 s at least, 30 s at most.
 * Whole-second steps (audio + 5.5 s) were tried for speed and lost accuracy (eval:asr in Node,
 * product / live WER 11.8 / 11.8 → 12.1 / 12.9 %, the long spontaneous clip 14.2 → 23.9 %), so
 * the 5 s steps stay.
 */
export function encoderFrames(audioSamples: number, sampleRate = 16_000): number {
  const seconds = audioSamples / sampleRate;
  const window = Math.min(30, Math.max(15, Math.ceil((seconds + 5.5) / 5) * 5));
  return window * FRAMES_PER_SECOND;
}

/** Whether a model file is a Whisper encoder this module can rewrite (by its path). */
export function isWhisperEncoderFile(url: string): boolean {
  return /whisper.*\/onnx\/encoder_model[^/]*\.onnx(\?|$)/i.test(url);
}
