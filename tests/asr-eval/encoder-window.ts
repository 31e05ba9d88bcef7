/**
 * Can Whisper's encoder run on less than 30 s? The exported encoder adds its 1500 positional
 * embeddings to the convolution output, so any other input length fails ("Attempting to broadcast
 * an axis by a dimension other than 1. 500 by 1500"). This rewrites the graph so the embeddings
 * are sliced to the input's length (what whisper.cpp's audio_ctx does), then measures accuracy
 * and speed of shorter windows against the stock 30 s one, same model, same clips.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtoWriter, encodeVarint } from '../../scripts/lib/onnx-proto';

interface Field {
  field: number;
  wire: number;
  start: number;
  end: number;
  body: Uint8Array;
}

function readVarint(buf: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[at++]!;
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if (byte < 0x80) return [value, at];
  }
}

/** Top-level fields of one protobuf message. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [key, next] = readVarint(buf, at);
    at = next;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let bodyStart = at;
    if (wire === 0) at = readVarint(buf, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, after] = readVarint(buf, at);
      bodyStart = after;
      at = after + Number(length);
    } else throw new Error(`unsupported wire type ${wire}`);
    out.push({ field, wire, start, end: at, body: buf.subarray(bodyStart, at) });
  }
  return out;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function lengthDelimited(field: number, body: Uint8Array): Uint8Array {
  const key = encodeVarint((field << 3) | 2);
  const len = encodeVarint(body.length);
  const out = new Uint8Array(key.length + len.length + body.length);
  out.set(key);
  out.set(len, key.length);
  out.set(body, key.length + len.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

function node(op: string, name: string, inputs: string[], outputs: string[]): Uint8Array {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name).string(4, op);
  return w.finish();
}

function int64Initializer(name: string, values: number[]): Uint8Array {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  const w = new ProtoWriter();
  w.packedInts(1, [values.length]).int(2, 7).string(8, name).bytes(9, raw);
  return w.finish();
}

/**
 * Returns the encoder with its positional embeddings sliced to the input length, and the name of
 * the embedding tensor it found (the non-activation input of the Add that failed).
 */
export function variableLengthEncoder(path: string): { model: Uint8Array; embedding: string } {
  const bytes = new Uint8Array(readFileSync(path));
  const top = fields(bytes);
  const graphField = top.find((f) => f.field === 7)!;
  const graph = fields(graphField.body);
  const initializers = new Set(
    graph
      .filter((f) => f.field === 5)
      .map((f) => text(fields(f.body).find((x) => x.field === 8)!.body))
  );
  let embedding = '';
  const rewritten = graph.map((f) => {
    if (f.field !== 1) return graphField.body.subarray(f.start, f.end);
    const parts = fields(f.body);
    const name = text(parts.find((x) => x.field === 3)?.body ?? new Uint8Array());
    if (name !== '/Add_2') return graphField.body.subarray(f.start, f.end);
    const inputs = parts.filter((x) => x.field === 1).map((x) => text(x.body));
    embedding =
      inputs.find((i) => initializers.has(i) || /embed_positions|Constant/.test(i)) ?? inputs[1]!;
    const activation = inputs.find((i) => i !== embedding)!;
    const out = parts.map((x) =>
      x.field === 1 && text(x.body) === embedding
        ? lengthDelimited(1, new TextEncoder().encode('lva/pos_sliced'))
        : f.body.subarray(x.start, x.end)
    );
    const added = [
      node('Shape', 'lva/shape', [activation], ['lva/shape_out']),
      node(
        'Slice',
        'lva/len',
        ['lva/shape_out', 'lva/one', 'lva/two', 'lva/zero'],
        ['lva/len_out']
      ),
      node(
        'Slice',
        'lva/pos',
        [embedding, 'lva/zero', 'lva/len_out', 'lva/zero'],
        ['lva/pos_sliced']
      )
    ].map((n) => lengthDelimited(1, n));
    return concat([...added, lengthDelimited(1, concat(out))]);
  });
  if (!embedding) throw new Error('The encoder has no /Add_2 node: a different export.');
  const extra = [
    int64Initializer('lva/zero', [0]),
    int64Initializer('lva/one', [1]),
    int64Initializer('lva/two', [2])
  ].map((t) => lengthDelimited(5, t));
  const newGraph = concat([...rewritten, ...extra]);
  const model = concat(
    top.map((f) => (f.field === 7 ? lengthDelimited(7, newGraph) : bytes.subarray(f.start, f.end)))
  );
  return { model, embedding };
}

/** Path of a provisioned model's quantized encoder. */
export const encoderPath = (modelsDir: string, modelId: string) =>
  join(modelsDir, modelId, 'onnx/encoder_model_quantized.onnx');
