/**
 * Just enough of the WebAssembly binary format to assemble one small SIMD function in code: the
 * module header and sections, and the handful of instructions int8-gemv.ts uses, by their text
 * names (the spec's opcode table). A 1 KB kernel assembled at load time needs no toolchain, no
 * committed binary, and no build step.
 */

/** LEB128 of an unsigned integer. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/** LEB128 of a signed integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A section: id, then its byte length, then its bytes. */
export function section(id: number, bytes: number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

/** A name: its UTF-8 length, then its bytes. */
export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** Value types. */
export const type = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;

const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];

/** Instructions (each an array of bytes), by their names in the text format. */
export const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Shl: [0x74],
  i32LtU: [0x49],
  i32Eqz: [0x45],
  f32Add: [0x92],
  f32Mul: [0x94],
  f32ConvertI32S: [0xb2],
  /** f32.store with alignment 4 at a constant offset. */
  f32Store: (offset: number) => [0x38, 2, ...uleb(offset)],
  /** block / loop without results; end; br_if to an enclosing label. */
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  /** v128.load with alignment 16 at a constant offset. */
  v128Load: (offset: number) => simd(0x00, 4, ...uleb(offset)),
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  i32x4ExtractLane: (lane: number) => simd(0x1b, lane),
  i16x8ExtendLowI8x16S: simd(0x87),
  i16x8ExtendHighI8x16S: simd(0x88),
  i32x4Add: simd(0xae),
  i32x4DotI16x8S: simd(0xba)
} as const;

/** Instructions to bytes. */
export function code(...instructions: (readonly number[])[]): number[] {
  return instructions.flat();
}

/**
 * A module of one function that imports its memory (`env.memory`) and is exported as `exported`.
 * `locals`: [count, type] runs after the parameters.
 */
export function moduleBytes(fn: {
  exported: string;
  params: number[];
  locals: [number, number][];
  body: number[];
}): Uint8Array<ArrayBuffer> {
  const signature = [1, 0x60, ...uleb(fn.params.length), ...fn.params, 0];
  const imports = [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1];
  const locals = fn.locals.flatMap(([count, t]) => [...uleb(count), t]);
  const body = [...uleb(fn.locals.length), ...locals, ...fn.body, ...op.end];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, signature),
    ...section(2, imports),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name(fn.exported), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body])
  ]);
}
