/**
 * Whisper's encoder attention scores (Q·Kᵀ, one batched MatMul per layer) in int8 instead of
 * float32. The q8 export already runs every weight MatMul this way: activations quantized per
 * pass (DynamicQuantizeLinear, uint8 with a zero point), an integer MatMul, one rescale. Scores
 * are one of the two big activation × activation products it left in float32, and float32 GEMM is
 * where onnxruntime-web's 128-bit wasm SIMD trails native AVX-512 most. Measured 2026-12-07 (one
 * thread, 20 s window): in one wasm profile of the encoder the int8 scores took 75 ms per pass
 * against 144 ms for the float32 probabilities × values product of the same size, where native
 * takes 22 vs 20 ms; scores plus softmax on 6 × 1000 × 1000, wasm 60 → 36 ms, native no faster.
 * `npm run eval:asr` (Whisper tiny, same session, before → after): product / live WER Node
 * 11.8 / 11.8 → 10.4 / 10.9 %, Chromium 10.0 / 10.9 → 10.4 / 10.0 %.
 * The probabilities × values product stays float32: probabilities spread over 1,000 frames fall
 * below uint8's step and would round to zero.
 */
import { nodeProto, parseNode } from './onnx-fields';

/** The score MatMul of each encoder layer in the Transformers.js (optimum) export. */
const SCORES = /^\/layers\.\d+\/self_attn\/MatMul$/;

/**
 * The nodes replacing one NodeProto body when it is an encoder layer's score MatMul (each
 * returned body goes into its own graph field 1), or null for any other node.
 */
export function int8ScoreNodes(nodeBody: Uint8Array): Uint8Array[] | null {
  const { op, name, inputs, outputs } = parseNode(nodeBody);
  if (op !== 'MatMul' || !SCORES.test(name)) return null;
  const [a, b] = inputs;
  const [y] = outputs;
  if (!a || !b || !y) return null;
  const p = `lva${name}`;
  return [
    nodeProto('DynamicQuantizeLinear', `${p}/qa`, [a], [`${p}/a`, `${p}/as`, `${p}/az`]),
    nodeProto('DynamicQuantizeLinear', `${p}/qb`, [b], [`${p}/b`, `${p}/bs`, `${p}/bz`]),
    nodeProto('MatMulInteger', `${p}/mm`, [`${p}/a`, `${p}/b`, `${p}/az`, `${p}/bz`], [`${p}/i`]),
    // Cast to float (TensorProto type 1), then one multiply by both scales.
    nodeProto('Cast', `${p}/cast`, [`${p}/i`], [`${p}/f`], { to: 1 }),
    nodeProto('Mul', `${p}/scale`, [`${p}/as`, `${p}/bs`], [`${p}/s`]),
    nodeProto('Mul', `${p}/y`, [`${p}/f`, `${p}/s`], [y])
  ];
}
