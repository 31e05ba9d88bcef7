/**
 * A matrix–vector product over int8 weights in WebAssembly SIMD: y = s · (W q) + c, with W an
 * int8 matrix (rows × k, row-major) kept in the module's own memory and q the input vector
 * rounded to int16. Whisper's output projection is such a matrix (the q8 export's int8 token
 * embedding); onnxruntime-web multiplies it as 80 MB of floats per generated token, where this
 * reads 20 MB and does 16 multiply-adds in 7 instructions (`i32x4.dot_i16x8_s` over the widened
 * weights). Measured in Node on one thread, 51,865 × 384: 1.9–2.8 ms against 4.8–6.9 ms for
 * onnxruntime-web's float MatMul (1.5 vs 2.0 ms on two threads against its two).
 */
import { code, moduleBytes, op, type } from './wasm-asm';

// Parameters of gemv(w, q, out, rows, s, c): weights, int16 input, float output (byte addresses),
// row count (a multiple of 4), scale and offset of the result. The row length k is built in.
const [W, Q, OUT, ROWS, S, C] = [0, 1, 2, 3, 4, 5];
// Locals: end of the output, four accumulators, the weights just loaded, two halves of q.
const [END, ACC, WV, QLO, QHI] = [6, 7, 11, 12, 13];
const { localGet: get, localSet: set } = op;

/** Row r's accumulator += its next 16 weights (at `offset` from w) · q's halves. */
// prettier-ignore
const accumulate = (r: number, offset: number) =>
  code(
    get(W), op.v128Load(offset), set(WV),
    get(ACC + r),
    get(WV), op.i16x8ExtendLowI8x16S, get(QLO), op.i32x4DotI16x8S, op.i32x4Add,
    get(WV), op.i16x8ExtendHighI8x16S, get(QHI), op.i32x4DotI16x8S, op.i32x4Add,
    set(ACC + r)
  );

/** out[r] = f32(sum of row r's accumulator lanes) · s + c. */
// prettier-ignore
const store = (r: number) =>
  code(
    get(OUT),
    get(ACC + r), op.i32x4ExtractLane(0), get(ACC + r), op.i32x4ExtractLane(1), op.i32Add,
    get(ACC + r), op.i32x4ExtractLane(2), op.i32Add,
    get(ACC + r), op.i32x4ExtractLane(3), op.i32Add,
    op.f32ConvertI32S, get(S), op.f32Mul, get(C), op.f32Add,
    op.f32Store(4 * r)
  );

/**
 * Four rows at a time (each half of q loaded once for the four), the row unrolled 16 weights at a
 * time: widen to int16, dot with q, accumulate in int32.
 */
function gemvBody(k: number): number[] {
  const rows = [0, 1, 2, 3];
  // prettier-ignore
  const chunk = (j: number) =>
    code(
      get(Q), op.v128Load(32 * j), set(QLO),
      get(Q), op.v128Load(32 * j + 16), set(QHI),
      ...rows.map((r) => accumulate(r, r * k + 16 * j))
    );
  // prettier-ignore
  const step = code(
    ...rows.map((r) => code(op.v128Zero, set(ACC + r))),
    ...Array.from({ length: k / 16 }, (_, j) => chunk(j)),
    ...rows.map(store),
    // w += 4k; out += 16; again while out < end
    get(W), op.i32Const(4 * k), op.i32Add, set(W),
    get(OUT), op.i32Const(16), op.i32Add, op.localTee(OUT), get(END), op.i32LtU, op.brIf(0)
  );
  // prettier-ignore
  return code(
    get(OUT), get(ROWS), op.i32Const(2), op.i32Shl, op.i32Add, set(END),
    op.block, get(ROWS), op.i32Eqz, op.brIf(0),
    op.loop, step, op.end,
    op.end
  );
}

/** The module's bytes for rows of `k` int8 values: imports `env.memory`, exports `gemv`. */
export function gemvModuleBytes(k = 16): Uint8Array<ArrayBuffer> {
  const { i32, f32, v128 } = type;
  return moduleBytes({
    exported: 'gemv',
    params: [i32, i32, i32, i32, f32, f32],
    locals: [
      [1, i32],
      [7, v128]
    ],
    body: gemvBody(k)
  });
}

/** Whether this engine runs the module (WebAssembly with SIMD). */
export function gemvSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(gemvModuleBytes());
  } catch {
    return false;
  }
}

const PAGE = 65_536;

type GemvFn = (w: number, q: number, out: number, rows: number, s: number, c: number) => void;

/**
 * An int8 matrix held in its own WebAssembly memory, multiplied by float vectors. Results match
 * the float product to within the int16 rounding of the input (a relative 2⁻¹⁵ of its largest
 * element, summed over a row).
 */
export class Int8Gemv {
  readonly rows: number;
  readonly k: number;
  readonly #memory: WebAssembly.Memory;
  readonly #gemv: GemvFn;
  readonly #scale: number;
  readonly #zero: number;
  /** Rows rounded up to the kernel's four at a time (the padding rows are zeros). */
  readonly #padded: number;
  readonly #qAt: number;
  readonly #outAt: number;
  /** The kernel's input and output in its memory (which never grows, so the views stay valid). */
  readonly #q: Int16Array;
  readonly #out: Float32Array;

  /**
   * @param weights the matrix, rows × k row-major, as stored values v: int8, or uint8 (moved to
   *   int8 here as v − 128, the zero point with them)
   * @param scale dequantization: weight = (v − zero) · scale
   * @param zero the zero point
   */
  constructor(
    weights: Uint8Array | Int8Array,
    rows: number,
    k: number,
    scale: number,
    zero: number
  ) {
    if (k % 16 !== 0 || k === 0 || weights.length !== rows * k) {
      throw new Error('Bad int8 matrix shape.');
    }
    this.rows = rows;
    this.k = k;
    this.#padded = Math.ceil(rows / 4) * 4;
    this.#qAt = this.#padded * k;
    this.#outAt = this.#qAt + k * 2;
    const bytes = this.#outAt + this.#padded * 4;
    this.#memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
    const w = new Int8Array(this.#memory.buffer, 0, rows * k);
    if (weights instanceof Int8Array) {
      w.set(weights);
      this.#zero = zero;
    } else {
      for (let i = 0; i < w.length; i++) w[i] = weights[i]! - 128;
      this.#zero = zero - 128;
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(gemvModuleBytes(k)), {
      env: { memory: this.#memory }
    });
    this.#gemv = instance.exports.gemv as GemvFn;
    this.#scale = scale;
    this.#q = new Int16Array(this.#memory.buffer, this.#qAt, k);
    this.#out = new Float32Array(this.#memory.buffer, this.#outAt, rows);
  }

  /** y = W x for one vector x of length k (W the dequantized matrix); y has `rows` elements. */
  multiply(x: ArrayLike<number>, into = new Float32Array(this.rows)): Float32Array {
    const { k } = this;
    let max = 0;
    let sum = 0;
    for (let i = 0; i < k; i++) {
      max = Math.max(max, Math.abs(x[i]!));
      sum += x[i]!;
    }
    // x ≈ step · q with q in int16; Σ (v − zero) · x = step · Σ v · q − zero · Σ x.
    const step = max > 0 ? max / 32767 : 1;
    const q = this.#q;
    for (let i = 0; i < k; i++) q[i] = Math.round(x[i]! / step);
    const scale = this.#scale;
    this.#gemv(0, this.#qAt, this.#outAt, this.#padded, scale * step, -this.#zero * scale * sum);
    into.set(this.#out);
    return into;
  }
}
