/**
 * Int8 vectors in one contiguous block, with the dot product of a query against a range of them.
 * The hot loop of meaning search (100k captures ≈ 185k passages × 384 dims) runs as WebAssembly
 * SIMD when the browser has it (16 products per instruction; plain JS managed about one per
 * nanosecond, 60+ ms per query) and as plain JS otherwise. The query is quantized to int16 (its
 * rounding error is 1/65534 of its largest component, far below the vectors' own int8 rounding),
 * so both paths are exact integer sums and give identical scores.
 */
import { DOT_WASM } from './int8-dot-wasm';

const PAGE = 65_536;
/** Byte layout of the memory: the int16 query, a chunk of int32 sums, then the rows. */
const QUERY_AT = 0;
const SUMS_AT = 65_536;
const CHUNK = 4096;
const ROWS_AT = SUMS_AT + CHUNK * 4;

type DotFn = (query: number, rows: number, count: number, blocks: number, sums: number) => void;

let compiled: WebAssembly.Module | null | undefined;
function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = WebAssembly.validate(DOT_WASM) ? new WebAssembly.Module(DOT_WASM) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Rows of `dims` int8 values, each padded with zeros to `stride` (a multiple of 16). */
export class Int8Rows {
  readonly dims: number;
  readonly stride: number;
  #capacity = 0;
  #memory: WebAssembly.Memory | null = null;
  #buffer: ArrayBuffer;
  #dot: DotFn | null = null;
  /** The rows (capacity × stride bytes); a new view after every {@link ensure} that grows. */
  values!: Int8Array;

  /** `simd: false` forces the plain-JS path (tests compare the two). */
  constructor(dims: number, capacity: number, options: { simd?: boolean } = {}) {
    if (!(dims >= 1 && dims <= 32_768)) throw new Error(`unsupported vector size ${dims}`);
    this.dims = dims;
    this.stride = Math.ceil(dims / 16) * 16;
    const module = options.simd === false ? null : simdModule();
    const bytes = ROWS_AT + Math.max(1, capacity) * this.stride;
    if (module) {
      this.#memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
      const instance = new WebAssembly.Instance(module, { env: { memory: this.#memory } });
      this.#dot = instance.exports.dot as DotFn;
      this.#buffer = this.#memory.buffer;
    } else this.#buffer = new ArrayBuffer(bytes);
    this.#view(Math.max(1, capacity));
  }

  /** Whether the WebAssembly SIMD path is in use. */
  get simd(): boolean {
    return this.#dot !== null;
  }

  /** Rows that fit without growing. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Makes room for `rows` rows (keeping the contents); the `values` view is then replaced. */
  ensure(rows: number): void {
    if (rows <= this.#capacity) return;
    const capacity = Math.max(rows, this.#capacity * 2);
    const bytes = ROWS_AT + capacity * this.stride;
    if (this.#memory) {
      const missing = bytes - this.#memory.buffer.byteLength;
      if (missing > 0) this.#memory.grow(Math.ceil(missing / PAGE));
      this.#buffer = this.#memory.buffer;
    } else {
      const buffer = new ArrayBuffer(bytes);
      new Uint8Array(buffer).set(new Uint8Array(this.#buffer));
      this.#buffer = buffer;
    }
    this.#view(capacity);
  }

  /**
   * `out[row] = scale[row] · (query · row)` for rows [from, to), for a query of `dims` floats:
   * the cosine when the query has unit length and each row times its scale has too.
   */
  dot(query: Float32Array, from: number, to: number, scales: Float32Array, out: Float32Array) {
    const q = new Int16Array(this.#buffer, QUERY_AT, this.stride);
    let max = 0;
    for (let j = 0; j < this.dims; j++) max = Math.max(max, Math.abs(query[j]!));
    const queryScale = max === 0 ? 1 : max / 32_767;
    for (let j = 0; j < this.dims; j++) q[j] = Math.round(query[j]! / queryScale);
    q.fill(0, this.dims);
    const sums = new Int32Array(this.#buffer, SUMS_AT, CHUNK);
    for (let start = from; start < to; start += CHUNK) {
      const count = Math.min(CHUNK, to - start);
      if (this.#dot)
        this.#dot(QUERY_AT, ROWS_AT + start * this.stride, count, this.stride / 16, SUMS_AT);
      else this.#dotJs(q, start, count, sums);
      for (let k = 0; k < count; k++) out[start + k] = sums[k]! * queryScale * scales[start + k]!;
    }
  }

  // The same integer sums as the WebAssembly kernel, four at a time.
  #dotJs(q: Int16Array, start: number, count: number, sums: Int32Array): void {
    const values = this.values;
    const stride = this.stride;
    for (let k = 0; k < count; k++) {
      const base = (start + k) * stride;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < stride; j += 4) {
        s0 = (s0 + q[j]! * values[base + j]!) | 0;
        s1 = (s1 + q[j + 1]! * values[base + j + 1]!) | 0;
        s2 = (s2 + q[j + 2]! * values[base + j + 2]!) | 0;
        s3 = (s3 + q[j + 3]! * values[base + j + 3]!) | 0;
      }
      sums[k] = (s0 + s1 + s2 + s3) | 0;
    }
  }

  #view(capacity: number): void {
    this.#capacity = capacity;
    this.values = new Int8Array(this.#buffer, ROWS_AT, capacity * this.stride);
  }
}
