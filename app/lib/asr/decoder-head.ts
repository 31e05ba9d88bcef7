/**
 * Whisper's q8 decoder as exported for Transformers.js computes its output projection (the tied
 * token embedding, 51,865 × 384) as Transpose → DequantizeLinear → MatMul inside the decoder
 * graph, so at every generated token it transposes 20 MB of int8 and dequantizes it to 80 MB of
 * floats before the MatMul. {@link precomputedOutputProjection} does that work once: the
 * dequantized, transposed matrix becomes a float initializer of the graph and the two nodes go.
 * The MatMul's weights are the same numbers (same formula, same float32 rounding); only
 * onnxruntime's summation order may differ, as it prepacks a constant weight (logits within
 * 1.5e-5; real speech decodes to the same tokens). A decoder step takes about 40 % less time
 * (onnxruntime-web wasm, 15.8 → 9.5 ms per step with 1,000 encoder frames). The price: the
 * session holds the 80 MB float matrix (what the stock fp32 decoder holds), and the file on the
 * wire stays the q8 one.
 */
import {
  concat,
  delimited,
  fields,
  nodeProto,
  parseNode,
  readVarint,
  stringField,
  textOf,
  varint,
  type NodeInfo,
  type ProtoField
} from './onnx-fields';

/** TensorProto data types used here. */
const FLOAT = 1;
const UINT8 = 2;
const INT8 = 3;

interface Tensor {
  dims: number[];
  type: number;
  /** Element values (raw_data or the typed repeated field), as numbers. */
  values(): ArrayLike<number>;
}

/** Packed or unpacked repeated varints of one field. */
function varints(parts: ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const p of parts.filter((x) => x.field === field)) {
    for (let at = 0; at < p.body.length;) {
      const [value, next] = readVarint(p.body, at);
      out.push(value);
      at = next;
    }
  }
  return out;
}

function parseTensor(body: Uint8Array): [string, Tensor] {
  const parts = fields(body);
  if (varints(parts, 14)[0] === 1) {
    throw new Error('External tensor data is not supported.');
  }
  const type = varints(parts, 2)[0] ?? 0;
  const raw = parts.find((p) => p.field === 9)?.body;
  const tensor: Tensor = {
    dims: varints(parts, 1),
    type,
    values: () => {
      if (raw) {
        const copy = raw.slice();
        if (type === FLOAT) return new Float32Array(copy.buffer, 0, copy.length / 4);
        return type === INT8 ? new Int8Array(copy.buffer) : copy;
      }
      if (type === FLOAT) {
        const packed = concat(parts.filter((p) => p.field === 4).map((p) => p.body));
        return new Float32Array(packed.slice().buffer);
      }
      // uint8/int8 without raw_data are stored as int32_data (field 5); int8 comes back unsigned.
      return varints(parts, 5).map((v) => (type === INT8 && v > 127 ? v - 2 ** 32 : v));
    }
  };
  return [textOf(parts.find((p) => p.field === 8)?.body), tensor];
}

/** Whether a Transpose node swaps the two axes of a matrix (no perm, or perm [1, 0]). */
function swapsMatrix(node: NodeInfo): boolean {
  const perm = node.parts.find(
    (p) => p.field === 5 && textOf(fields(p.body).find((a) => a.field === 1)?.body) === 'perm'
  );
  if (!perm) return true;
  const ints = varints(fields(perm.body), 8);
  return ints.length === 2 && ints[0] === 1 && ints[1] === 0;
}

/** Output projections found: initializer name → its float values (transposed). */
type Found = Map<string, { dims: number[]; data: Float32Array }>;

/**
 * Whisper's output projection as exported: the int8 token embedding (rows = vocabulary, k = model
 * width, row-major), dequantized as (v − zero) · scale.
 */
export interface OutputHead {
  weights: Uint8Array | Int8Array;
  rows: number;
  k: number;
  scale: number;
  zero: number;
}

/**
 * What a rewrite does with each projection: `precompute` makes it a float initializer; `detach`
 * cuts the MatMul out too (the graph then outputs the hidden state where it gave logits) and
 * records the int8 matrix in `head`.
 */
interface Rewrite {
  mode: 'precompute' | 'detach';
  found: Found;
  head: (OutputHead & { name: string }) | null;
}

function dequantizeTransposed(q: Tensor, scale: number, zero: number): Float32Array {
  const [rows, cols] = q.dims as [number, number];
  const values = q.values();
  const out = new Float32Array(rows * cols);
  // Same as onnxruntime's DequantizeLinear: float(q - zero) * scale, rounded to float32 once.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = (values[r * cols + c]! - zero) * scale;
  }
  return out;
}

/** The head of a quantized matrix initializer (a detached projection's weights as stored). */
function headOf(
  name: string,
  q: Tensor,
  scale: number,
  zero: number
): OutputHead & { name: string } {
  const values = q.values();
  const typed = q.type === INT8 ? Int8Array : Uint8Array;
  const weights = values instanceof typed ? values : typed.from(values);
  return { name, weights, rows: q.dims[0]!, k: q.dims[1]!, scale, zero };
}

/**
 * Rewrites one graph's body (recursing into If/Loop subgraphs): drops Transpose → DequantizeLinear
 * pairs over a quantized matrix initializer and records the float matrix in `found` (or, when
 * detaching, also swaps the MatMul they feed for an Identity). Returns the new body as parts
 * (concatenated once by the caller), or null when nothing changed.
 */
function rewriteGraph(body: Uint8Array, inits: Map<string, Tensor>, rewrite: Rewrite) {
  const parts = fields(body);
  for (const p of parts.filter((x) => x.field === 5)) {
    const [name, tensor] = parseTensor(p.body);
    inits.set(name, tensor);
  }
  const nodes = parts.map((p) => (p.field === 1 ? parseNode(p.body) : null));
  const consumers = new Map<string, number>();
  for (const n of nodes)
    for (const i of n?.inputs ?? []) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const drop = new Set<number>();
  const identities = new Map<number, Uint8Array>();
  nodes.forEach((dq, k) => {
    if (dq?.op !== 'DequantizeLinear' || dq.inputs.length < 2) return;
    const t = nodes.findIndex((n) => n?.op === 'Transpose' && n.outputs[0] === dq.inputs[0]);
    const transpose = nodes[t];
    if (!transpose || consumers.get(dq.inputs[0]!) !== 1 || !swapsMatrix(transpose)) return;
    if (dq.parts.some((p) => p.field === 5)) return; // an axis attribute: per-axis scales
    const q = inits.get(transpose.inputs[0]!);
    const scale = inits.get(dq.inputs[1]!);
    const zero = dq.inputs[2] ? inits.get(dq.inputs[2]) : undefined;
    if (!q || q.dims.length !== 2 || (q.type !== UINT8 && q.type !== INT8)) return;
    if (!scale || scale.type !== FLOAT || scale.values().length !== 1) return;
    if (dq.inputs[2] && (!zero || zero.values().length !== 1)) return;
    const name = dq.outputs[0]!;
    const s = scale.values()[0]!;
    const z = zero ? zero.values()[0]! : 0;
    if (rewrite.mode === 'detach') {
      // The projection's one consumer, x · W, becomes x itself.
      const m = nodes.findIndex((n) => n?.op === 'MatMul' && n.inputs[1] === name);
      const matmul = nodes[m];
      if (!matmul || consumers.get(name) !== 1) return;
      if (rewrite.head && rewrite.head.name !== transpose.inputs[0]) return;
      rewrite.head ??= headOf(transpose.inputs[0]!, q, s, z);
      identities.set(m, nodeProto('Identity', matmul.name, [matmul.inputs[0]!], matmul.outputs));
    } else if (!rewrite.found.has(name)) {
      rewrite.found.set(name, {
        dims: [q.dims[1]!, q.dims[0]!],
        data: dequantizeTransposed(q, s, z)
      });
    }
    drop.add(k).add(t);
  });
  let changed = drop.size > 0;
  const out = parts.map((p, k): Uint8Array[] => {
    const original = [body.subarray(p.start, p.end)];
    if (drop.has(k)) return [];
    const identity = identities.get(k);
    if (identity) return [concat(delimited(1, [identity]))];
    if (p.field !== 1) return original;
    const rewritten = rewriteNodeGraphs(p.body, nodes[k]!.parts, inits, rewrite);
    if (!rewritten) return original;
    changed = true;
    return delimited(1, rewritten);
  });
  return changed ? out.flat() : null;
}

/** A node (its body and parsed fields) with its graph attributes rewritten, or null when none changed. */
function rewriteNodeGraphs(
  body: Uint8Array,
  parts: ProtoField[],
  inits: Map<string, Tensor>,
  rewrite: Rewrite
) {
  let changed = false;
  const out = parts.map((p): Uint8Array[] => {
    const original = [body.subarray(p.start, p.end)];
    if (p.field !== 5) return original;
    const attr = fields(p.body);
    const graph = attr.find((a) => a.field === 6);
    if (!graph) return original;
    // Subgraphs see this graph's initializers (outer scope), not the other way round.
    const rewritten = rewriteGraph(graph.body, new Map(inits), rewrite);
    if (!rewritten) return original;
    changed = true;
    const attrParts = attr.flatMap((a) =>
      a.field === 6 ? delimited(6, rewritten) : [p.body.subarray(a.start, a.end)]
    );
    return delimited(5, attrParts);
  });
  return changed ? out.flat() : null;
}

/** TensorProto (dims 1, data_type 2, name 8, raw_data 9) of a float matrix, as parts. */
function floatTensor(name: string, dims: number[], data: Float32Array): Uint8Array[] {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return [
    ...dims.map((d) => concat([varint(1 << 3), varint(d)])),
    concat([varint(2 << 3), varint(FLOAT)]),
    stringField(8, name),
    ...delimited(9, [bytes])
  ];
}

/**
 * The decoder with its output projection precomputed (see above). Throws when the graph holds no
 * such projection (another export): the caller then keeps the stock file.
 */
export function precomputedOutputProjection(bytes: Uint8Array): Uint8Array {
  const top = fields(bytes);
  const graphField = top.find((f) => f.field === 7);
  if (!graphField) throw new Error('Not an ONNX model (no graph).');
  const found: Found = new Map();
  const graph = rewriteGraph(graphField.body, new Map(), { mode: 'precompute', found, head: null });
  if (!graph || found.size === 0) {
    throw new Error('The decoder has no dequantized output projection to precompute.');
  }
  const added = [...found].flatMap(([name, t]) => delimited(5, floatTensor(name, t.dims, t.data)));
  const parts = top.flatMap((f) =>
    f.field === 7 ? delimited(7, [...graph, ...added]) : [bytes.subarray(f.start, f.end)]
  );
  return concat(parts);
}

/** Whether a model file is a Whisper decoder this module can rewrite (by its path). */
export function isWhisperDecoderFile(url: string): boolean {
  return /whisper.*\/onnx\/decoder_model_merged[^/]*\.onnx(\?|$)/i.test(url);
}

/** Whether a ValueInfoProto's tensor shape has a dimension of exactly `dim`. */
function hasDim(valueInfo: Uint8Array, dim: number): boolean {
  const type = fields(valueInfo).find((p) => p.field === 2);
  const tensor = type && fields(type.body).find((p) => p.field === 1);
  const shape = tensor && fields(tensor.body).find((p) => p.field === 2);
  if (!shape) return false;
  return fields(shape.body)
    .filter((d) => d.field === 1)
    .some((d) => varints(fields(d.body), 1)[0] === dim);
}

/** The ValueInfoProto with its tensor type's shape left out (elem type kept). */
function withoutShape(valueInfo: Uint8Array): Uint8Array[] {
  return fields(valueInfo).flatMap((p) => {
    if (p.field !== 2) return [valueInfo.subarray(p.start, p.end)];
    const tensor = fields(p.body).find((t) => t.field === 1);
    const elem = tensor && fields(tensor.body).find((e) => e.field === 1);
    const inner = elem ? [tensor.body.subarray(elem.start, elem.end)] : [];
    return delimited(2, delimited(1, inner));
  });
}

/**
 * A graph's body with the declared shape of every value (input, output, value_info; in subgraphs
 * too) that has a dimension of `dim` left out: the detached decoder's "logits" are the hidden
 * state, and a declared vocabulary-sized dimension would contradict it.
 */
function dropShapesWithDim(body: Uint8Array, dim: number): Uint8Array[] {
  return fields(body).flatMap((p) => {
    const original = [body.subarray(p.start, p.end)];
    if (p.field >= 11 && p.field <= 13) {
      return hasDim(p.body, dim) ? delimited(p.field, withoutShape(p.body)) : original;
    }
    if (p.field !== 1) return original;
    // Node attributes (field 5) holding a graph (6) or graphs (7).
    const node = fields(p.body).flatMap((a) => {
      if (a.field !== 5) return [p.body.subarray(a.start, a.end)];
      const attr = fields(a.body).flatMap((g) =>
        g.field === 6 || g.field === 7
          ? delimited(g.field, dropShapesWithDim(g.body, dim))
          : [a.body.subarray(g.start, g.end)]
      );
      return delimited(5, attr);
    });
    return delimited(1, node);
  });
}

/**
 * The decoder without its output projection, and that projection's int8 matrix: the graph's
 * "logits" output becomes the final hidden state (batch × tokens × width), which
 * int8-head-decoder.ts multiplies by the matrix (int8-gemv.ts) for the last token only. Throws
 * when the graph holds no such projection (another export).
 */
export function detachedOutputProjection(bytes: Uint8Array): {
  model: Uint8Array;
  head: OutputHead;
} {
  const top = fields(bytes);
  const graphField = top.find((f) => f.field === 7);
  if (!graphField) throw new Error('Not an ONNX model (no graph).');
  const rewrite: Rewrite = { mode: 'detach', found: new Map(), head: null };
  const graph = rewriteGraph(graphField.body, new Map(), rewrite);
  const head = rewrite.head;
  if (!graph || !head)
    throw new Error('The decoder has no dequantized output projection to detach.');
  const body = dropShapesWithDim(concat(graph), head.rows);
  const model = concat(
    top.flatMap((f) => (f.field === 7 ? delimited(7, body) : [bytes.subarray(f.start, f.end)]))
  );
  const { weights, rows, k, scale, zero } = head;
  return { model, head: { weights, rows, k, scale, zero } };
}
