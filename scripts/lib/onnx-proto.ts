/**
 * A minimal protobuf writer for the subset of onnx.proto needed to emit inference models.
 *
 * Field numbers follow onnx/onnx.proto (proto2 syntax). Messages are built as lists of chunks so
 * that large initializers (tens of MB of raw_data) are copied once, in `finish()`, instead of once
 * per nesting level.
 */

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;

/** AttributeProto.AttributeType values. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

const textEncoder = new TextEncoder();
/** ONNX raw_data is little-endian; typed arrays use the host order, so big-endian hosts convert. */
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Encodes an unsigned LEB128 varint. Negative int64 values are written as their 64-bit two's
 * complement (always 10 bytes), as protobuf requires for int64 fields.
 */
export function encodeVarint(value: number | bigint): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`varint value must be a safe integer, got ${value}`);
  }
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(bytes);
}

/** Accumulates one protobuf message as a list of byte chunks. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  /** Total encoded length in bytes. */
  length = 0;

  private push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return this;
  }

  private tag(field: number, wireType: 0 | 1 | 2 | 5): this {
    return this.push(encodeVarint((field << 3) | wireType));
  }

  /** Varint field (int32, int64, enum, bool); negative values use the 10-byte form. */
  int(field: number, value: number | bigint): this {
    return this.tag(field, 0).push(encodeVarint(value));
  }

  /** 32-bit float field (wire type 5, little-endian). */
  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.tag(field, 5).push(bytes);
  }

  /** Length-delimited bytes field. */
  bytes(field: number, data: Uint8Array): this {
    return this.tag(field, 2).push(encodeVarint(data.length)).push(data);
  }

  /** Length-delimited UTF-8 string field. */
  string(field: number, text: string): this {
    return this.bytes(field, textEncoder.encode(text));
  }

  /** Embedded message field; the child's chunks are shared, not copied. */
  message(field: number, child: ProtoWriter): this {
    this.tag(field, 2).push(encodeVarint(child.length));
    for (const chunk of child.chunks) this.push(chunk);
    return this;
  }

  /** Packed repeated varint field (one length-delimited record holding all values). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const body = new ProtoWriter();
    for (const value of values) body.push(encodeVarint(value));
    return this.message(field, body);
  }

  /** Concatenates all chunks into the final encoding. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/** An initializer or constant tensor; raw_data holds little-endian element bytes. */
export interface OnnxTensor {
  name: string;
  dataType: number;
  dims: readonly number[];
  rawData: Uint8Array;
}

/** A node attribute, tagged with its ONNX attribute type. */
export type OnnxAttribute = { name: string } & (
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: OnnxTensor }
);

/** One graph node. */
export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attributes?: readonly OnnxAttribute[];
}

/** A graph input/output: a tensor type whose dims are fixed sizes or symbolic names. */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  dims: readonly (number | string)[];
}

/** The graph: nodes in topological order, weights as initializers. */
export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

/** A whole model: IR version, operator set imports and graph. */
export interface OnnxModel {
  irVersion: number;
  opsetImports: readonly { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
}

function tensorProto(tensor: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  // dims is `repeated int64` without [packed=true] in proto2, so one record per dim.
  for (const dim of tensor.dims) w.int(1, dim);
  return w.int(2, tensor.dataType).string(8, tensor.name).bytes(9, tensor.rawData);
}

function attributeProto(attr: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, attr.name);
  switch (attr.kind) {
    case 'int':
      return w.int(3, attr.value).int(20, AttributeType.INT);
    case 'float':
      return w.float(2, attr.value).int(20, AttributeType.FLOAT);
    case 'ints':
      for (const v of attr.value) w.int(8, v);
      return w.int(20, AttributeType.INTS);
    case 'string':
      return w.string(4, attr.value).int(20, AttributeType.STRING);
    case 'tensor':
      return w.message(5, tensorProto(attr.value)).int(20, AttributeType.TENSOR);
  }
}

function nodeProto(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  if (node.name) w.string(3, node.name);
  w.string(4, node.opType);
  for (const attr of node.attributes ?? []) w.message(5, attributeProto(attr));
  if (node.domain) w.string(7, node.domain);
  return w;
}

function valueInfoProto(info: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of info.dims) {
    const d = new ProtoWriter();
    if (typeof dim === 'number') d.int(1, dim);
    else d.string(2, dim);
    shape.message(1, d);
  }
  const tensorType = new ProtoWriter().int(1, info.elemType).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, info.name).message(2, type);
}

function graphProto(graph: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.message(1, nodeProto(node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, tensorProto(tensor));
  for (const input of graph.inputs) w.message(11, valueInfoProto(input));
  for (const output of graph.outputs) w.message(12, valueInfoProto(output));
  return w;
}

/** Serialises a model to the bytes of an `.onnx` file (ModelProto). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter().int(1, model.irVersion);
  w.string(2, model.producerName).string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, graphProto(model.graph));
  for (const opset of model.opsetImports) {
    const o = new ProtoWriter();
    if (opset.domain) o.string(1, opset.domain);
    w.message(8, o.int(2, opset.version));
  }
  return w.finish();
}

/** Float32 tensor (written little-endian whatever the host byte order). */
export function floatTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array | readonly number[]
): OnnxTensor {
  const floats = Float32Array.from(values); // a copy, so later changes to `values` cannot leak in
  const raw = new Uint8Array(floats.buffer);
  if (!LITTLE_ENDIAN_HOST) {
    const view = new DataView(raw.buffer);
    floats.forEach((v, i) => view.setFloat32(i * 4, v, true));
  }
  return { name, dataType: DataType.FLOAT, dims, rawData: raw };
}

/** Int64 tensor from safe integers. */
export function int64Tensor(
  name: string,
  dims: readonly number[],
  values: readonly number[]
): OnnxTensor {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dataType: DataType.INT64, dims, rawData: raw };
}

/** Int8 or uint8 tensor; the bytes are used as-is. */
export function byteTensor(
  name: string,
  dataType: typeof DataType.INT8 | typeof DataType.UINT8,
  dims: readonly number[],
  bytes: Uint8Array | Int8Array
): OnnxTensor {
  return {
    name,
    dataType,
    dims,
    rawData: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  };
}
