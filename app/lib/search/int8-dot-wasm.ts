/**
 * The WebAssembly SIMD kernel of int8-rows.ts, assembled here byte by byte (a few dozen
 * instructions; no toolchain needed). Its one export, with the memory imported as env.memory:
 *
 *   dot(query, rows, count, blocks, sums): for each of `count` rows of `blocks` × 16 int8 values
 *   starting at byte `rows`, sums[i] = Σ query[j] · row[j], with `query` int16 values at byte
 *   `query` and the int32 sums written from byte `sums`.
 *
 * Per 16 values: load 16 int8, widen to two i16x8, i32x4.dot_i16x8_s with the query, add.
 */

const u = (...bytes: number[]) => bytes;
/** A section: id, then its byte length (LEB128; all ours are under 128 bytes but the body). */
function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number) => u(0x20, i);
const set = (i: number) => u(0x21, i);
const tee = (i: number) => u(0x22, i);
const i32Const = (n: number) => u(0x41, n); // small non-negative constants only (< 64)
const ADD = 0x6a;
const SUB = 0x6b;
const simd = (op: number, ...rest: number[]) => u(0xfd, ...leb(op), ...rest);
const load = (offset: number) => simd(0x00, 0, offset); // v128.load, align hint 1, offset
const extendLow = simd(0x87); // i16x8.extend_low_i8x16_s
const extendHigh = simd(0x88); // i16x8.extend_high_i8x16_s
const dotI16 = simd(0xba); // i32x4.dot_i16x8_s
const addI32x4 = simd(0xae); // i32x4.add
const lane = (i: number) => simd(0x1b, i); // i32x4.extract_lane

// Params: 0 query, 1 rows, 2 count, 3 blocks, 4 sums. Locals: 5 block counter, 6 query cursor,
// 7 accumulator, 8 the 16 values loaded.
const body = [
  ...u(2, 2, I32, 2, V128), // locals: 2 × i32, 2 × v128
  ...u(0x02, 0x40), // block
  ...get(2),
  0x45, // i32.eqz
  ...u(0x0d, 0), // br_if out: no rows
  ...u(0x03, 0x40), // loop over rows
  ...simd(0x0c, ...new Array<number>(16).fill(0)), // v128.const 0
  ...set(7),
  ...get(0),
  ...set(6),
  ...get(3),
  ...set(5),
  ...u(0x03, 0x40), // loop over blocks of 16
  ...get(1),
  ...load(0),
  ...set(8),
  ...get(7),
  ...get(8),
  ...extendLow,
  ...get(6),
  ...load(0),
  ...dotI16,
  ...addI32x4,
  ...get(8),
  ...extendHigh,
  ...get(6),
  ...load(16),
  ...dotI16,
  ...addI32x4,
  ...set(7),
  ...get(1),
  ...i32Const(16),
  ADD,
  ...set(1),
  ...get(6),
  ...i32Const(32),
  ADD,
  ...set(6),
  ...get(5),
  ...i32Const(1),
  SUB,
  ...tee(5),
  ...u(0x0d, 0), // br_if: more blocks
  0x0b, // end loop over blocks
  ...get(4),
  ...get(7),
  ...lane(0),
  ...get(7),
  ...lane(1),
  ADD,
  ...get(7),
  ...lane(2),
  ADD,
  ...get(7),
  ...lane(3),
  ADD,
  ...u(0x36, 2, 0), // i32.store align 4
  ...get(4),
  ...i32Const(4),
  ADD,
  ...set(4),
  ...get(2),
  ...i32Const(1),
  SUB,
  ...tee(2),
  ...u(0x0d, 0), // br_if: more rows
  0x0b, // end loop over rows
  0x0b, // end block
  0x0b // end function
];

const name = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

/** The module's bytes. */
export const DOT_WASM = new Uint8Array([
  ...u(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00),
  ...section(1, u(1, 0x60, 5, I32, I32, I32, I32, I32, 0)), // type: (i32 × 5) → ()
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]), // import memory, min 1
  ...section(3, u(1, 0)), // one function of type 0
  ...section(7, [1, ...name('dot'), 0x00, 0]), // export it as "dot"
  ...section(10, [1, ...leb(body.length), ...body])
]);
