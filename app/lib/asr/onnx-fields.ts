/**
 * Just enough protobuf to edit an ONNX model's graph in place: split a message into its top-level
 * fields (bodies are views, not copies) and write length-delimited fields back.
 */

/** One top-level field of a protobuf message. */
export interface ProtoField {
  field: number;
  wire: number;
  /** Byte range of the whole field (key included) in the message. */
  start: number;
  end: number;
  /** The value's bytes (length-delimited: the payload; others: the encoded value). */
  body: Uint8Array;
}

/** The varint at `at`: its value and the offset after it. */
export function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (at >= buf.length) throw new Error('Truncated protobuf varint.');
    const byte = buf[at++]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at];
  }
}

/** Top-level fields of one protobuf message. */
export function fields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [key, next] = readVarint(buf, at);
    at = next;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let bodyStart = at;
    if (wire === 0) at = readVarint(buf, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, after] = readVarint(buf, at);
      bodyStart = after;
      at = after + length;
    } else throw new Error(`Unsupported protobuf wire type ${wire}.`);
    if (at > buf.length) throw new Error('Truncated protobuf field.');
    out.push({ field, wire, start, end: at, body: buf.subarray(bodyStart, at) });
  }
  return out;
}

/** Unsigned varint (values below 2^53). */
export function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0);
  return Uint8Array.from(bytes);
}

/** Concatenates byte arrays (one copy). */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A length-delimited field (key, length, body). */
export function lengthDelimited(field: number, body: Uint8Array): Uint8Array {
  return concat([varint(field * 8 + 2), varint(body.length), body]);
}

/** UTF-8 text of a field body ('' when absent). */
export function textOf(body: Uint8Array | undefined): string {
  return body ? new TextDecoder().decode(body) : '';
}

/** A length-delimited field holding a UTF-8 string. */
export function stringField(field: number, value: string): Uint8Array {
  return lengthDelimited(field, new TextEncoder().encode(value));
}

/** A length-delimited field as parts, for one concatenation at the end (no copy of the payload). */
export function delimited(field: number, parts: Uint8Array[]): Uint8Array[] {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return [varint(field * 8 + 2), varint(length), ...parts];
}

/** The string in field `field` of a message (a ValueInfoProto's name is field 1, a TensorProto's 8). */
export function nameField(message: Uint8Array, field: number): string {
  return textOf(fields(message).find((x) => x.field === field)?.body);
}

/** A NodeProto read: its op type, name, inputs, outputs and all its fields. */
export interface NodeInfo {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  parts: ProtoField[];
}

/** Reads a NodeProto (input 1, output 2, name 3, op_type 4). */
export function parseNode(body: Uint8Array): NodeInfo {
  const parts = fields(body);
  const texts = (f: number) => parts.filter((p) => p.field === f).map((p) => textOf(p.body));
  return {
    op: texts(4)[0] ?? '',
    name: texts(3)[0] ?? '',
    inputs: texts(1),
    outputs: texts(2),
    parts
  };
}

/** NodeProto (input 1, output 2, name 3, op_type 4, attribute 5) with int attributes only. */
export function nodeProto(
  op: string,
  name: string,
  inputs: string[],
  outputs: string[],
  ints: Record<string, number> = {}
): Uint8Array {
  // AttributeProto: name 1, i 3, type 20 (2 = INT).
  const attributes = Object.entries(ints).map(([key, value]) =>
    lengthDelimited(
      5,
      concat([stringField(1, key), varint(3 << 3), varint(value), varint(20 << 3), varint(2)])
    )
  );
  return concat([
    ...inputs.map((i) => stringField(1, i)),
    ...outputs.map((o) => stringField(2, o)),
    stringField(3, name),
    stringField(4, op),
    ...attributes
  ]);
}
