/**
 * Exact cosine top-k over every passage vector (no approximate index: exact is fast enough at
 * this scale and never misses). Vectors are unit length, stored as int8 with one scale each
 * (4× smaller than float32; scripts/bench-search.ts measures both), so the cosine is
 * scale · Σ q_j · v_j, summed by int8-rows.ts (WebAssembly SIMD where available). A capture
 * scores as its best passage.
 */
import { Int8Rows } from './int8-rows';
import { TopK } from './top-k';

/** A vector as stored: int8 values times `scale`, or plain float32. */
export interface StoredVector {
  values: Int8Array | Float32Array;
  scale: number;
}

/** A capture's best-matching passage. */
export interface VectorHit {
  captureId: string;
  passageId: string;
  similarity: number;
}

/** Quantizes a (unit) vector to int8 with a per-vector scale. */
export function quantize(vector: Float32Array): { values: Int8Array; scale: number } {
  let max = 0;
  for (const v of vector) max = Math.max(max, Math.abs(v));
  const scale = max === 0 ? 1 : max / 127;
  const values = new Int8Array(vector.length);
  for (let i = 0; i < vector.length; i++) values[i] = Math.round(vector[i]! / scale);
  return { values, scale };
}

/** The vector scaled to unit length (a zero vector stays zero). */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  return norm === 0 ? vector.slice() : vector.map((v) => v / norm);
}

export class VectorIndex {
  readonly dims: number;
  readonly #rows: Int8Rows;
  #scales: Float32Array;
  #passageIds: (string | null)[] = [];
  // Per slot, the number of its capture (−1 once removed): collect() keeps each capture's best
  // passage in typed arrays indexed by this number instead of a Map keyed by id (a 100k-entry
  // Map per query cost more than the scan itself).
  #owners: Int32Array;
  readonly #captureNumbers = new Map<string, number>();
  #captureIds: string[] = [];
  #best = new Int32Array(0);
  readonly #slotOf = new Map<string, number>();
  readonly #byCapture = new Map<string, Set<string>>();
  #dead = 0;
  #generation = 0;
  #scores = new Float32Array(0);

  /** `simd: false` forces the plain-JS dot product (see int8-rows.ts). */
  constructor(dims: number, capacity = 1024, options: { simd?: boolean } = {}) {
    this.dims = dims;
    this.#rows = new Int8Rows(dims, capacity, options);
    this.#scales = new Float32Array(capacity);
    this.#owners = new Int32Array(capacity);
  }

  /** Passages with a vector. */
  get size(): number {
    return this.#slotOf.size;
  }

  /** Bytes held by the vectors. */
  get bytes(): number {
    return this.#rows.values.byteLength + this.#scales.byteLength;
  }

  /** Stores (or replaces) a passage's vector. Float32 input is quantized. */
  set(passageId: string, captureId: string, vector: StoredVector | Float32Array): void {
    const stored = vector instanceof Float32Array ? quantize(normalize(vector)) : vector;
    if (stored.values.length !== this.dims)
      throw new Error(`vector has ${stored.values.length} dimensions, the index ${this.dims}`);
    const values =
      stored.values instanceof Int8Array
        ? stored
        : quantize(Float32Array.from(stored.values, (v) => v * stored.scale));
    this.removePassage(passageId);
    const slot = this.#passageIds.length;
    this.#grow(slot + 1);
    this.#rows.values.set(values.values, slot * this.#rows.stride);
    this.#scales[slot] = values.scale;
    this.#passageIds.push(passageId);
    this.#owners[slot] = this.#captureNumber(captureId);
    this.#slotOf.set(passageId, slot);
    const set = this.#byCapture.get(captureId) ?? new Set<string>();
    set.add(passageId);
    this.#byCapture.set(captureId, set);
  }

  /** Removes one passage's vector. */
  removePassage(passageId: string): void {
    const slot = this.#slotOf.get(passageId);
    if (slot === undefined) return;
    this.#slotOf.delete(passageId);
    this.#byCapture.get(this.#captureIds[this.#owners[slot]!]!)?.delete(passageId);
    this.#passageIds[slot] = null;
    this.#owners[slot] = -1;
    this.#dead++;
    if (this.#dead > 1000 && this.#dead > this.#passageIds.length / 4) this.#compact();
  }

  /** Removes every passage of a capture. */
  removeCapture(captureId: string): void {
    for (const passageId of [...(this.#byCapture.get(captureId) ?? [])])
      this.removePassage(passageId);
    this.#byCapture.delete(captureId);
  }

  /** Whether the capture has at least one vector. */
  hasCapture(captureId: string): boolean {
    return (this.#byCapture.get(captureId)?.size ?? 0) > 0;
  }

  /** The passages of a capture that have vectors. */
  passagesOf(captureId: string): string[] {
    return [...(this.#byCapture.get(captureId) ?? [])];
  }

  /** A stored vector as float32 (for "related captures": a capture's own passages as queries). */
  vectorOf(passageId: string): Float32Array | null {
    const slot = this.#slotOf.get(passageId);
    if (slot === undefined) return null;
    const scale = this.#scales[slot]!;
    const start = slot * this.#rows.stride;
    return Float32Array.from(
      this.#rows.values.subarray(start, start + this.dims),
      (v) => v * scale
    );
  }

  /**
   * The `limit` captures most similar to `query` (a unit vector), each by its best passage.
   * `accept` filters captures.
   */
  search(query: Float32Array, limit: number, accept?: (captureId: string) => boolean): VectorHit[] {
    if (query.length !== this.dims)
      throw new Error(`query has ${query.length} dimensions, the index ${this.dims}`);
    const n = this.#passageIds.length;
    if (this.#scores.length < n) this.#scores = new Float32Array(Math.max(1024, n * 2));
    this.scan(query, 0, n, this.#scores);
    return this.collect(this.#scores, limit, accept);
  }

  /**
   * {@link search}, scanning `sliceSize` vectors at a time and awaiting `pause` between slices,
   * so a long scan (100k passages) never holds the main thread for one long task.
   */
  async searchSliced(
    query: Float32Array,
    limit: number,
    pause: () => Promise<void>,
    accept?: (captureId: string) => boolean,
    sliceSize = 16_384
  ): Promise<VectorHit[]> {
    if (query.length !== this.dims)
      throw new Error(`query has ${query.length} dimensions, the index ${this.dims}`);
    const n = this.#passageIds.length;
    const generation = this.#generation;
    const scores = new Float32Array(n);
    for (let from = 0; from < n; from += sliceSize) {
      if (from > 0) await pause();
      // Compaction renumbers slots: the scores so far no longer line up, so finish in one go.
      if (this.#generation !== generation) return this.search(query, limit, accept);
      // Vectors added while paused wait for the next search.
      this.scan(query, from, Math.min(n, from + sliceSize), scores);
    }
    return this.collect(scores, limit, accept, n);
  }

  /** Scores slots [from, to) into `out` (lets a caller split a long scan into slices). */
  scan(query: Float32Array, from: number, to: number, out: Float32Array): void {
    this.#rows.dot(query, from, to, this.#scales, out);
  }

  /** Slots in the index (live and removed), the range {@link scan} covers. */
  get slots(): number {
    return this.#passageIds.length;
  }

  /** Best passage per capture from scanned scores, top `limit` captures. */
  collect(
    scores: Float32Array,
    limit: number,
    accept?: (captureId: string) => boolean,
    slots = this.#passageIds.length
  ): VectorHit[] {
    const end = Math.min(slots, this.#passageIds.length);
    const owners = this.#owners;
    const captures = this.#captureIds.length;
    if (this.#best.length < captures) this.#best = new Int32Array(Math.max(1024, captures * 2));
    const best = this.#best;
    best.fill(-1, 0, captures);
    for (let slot = 0; slot < end; slot++) {
      const owner = owners[slot]!;
      if (owner < 0) continue;
      const prev = best[owner]!;
      if (prev < 0 || scores[slot]! > scores[prev]!) best[owner] = slot;
    }
    const heap = new TopK<number>(limit);
    let threshold = heap.threshold;
    for (let slot = 0; slot < end; slot++) {
      const owner = owners[slot]!;
      if (owner < 0 || best[owner] !== slot || !(scores[slot]! > threshold)) continue;
      if (accept && !accept(this.#captureIds[owner]!)) continue;
      heap.push(slot, scores[slot]!);
      threshold = heap.threshold;
    }
    return heap.sorted().map(({ item: slot, score }) => ({
      captureId: this.#captureIds[owners[slot]!]!,
      passageId: this.#passageIds[slot]!,
      similarity: score
    }));
  }

  #captureNumber(captureId: string): number {
    let number = this.#captureNumbers.get(captureId);
    if (number === undefined) {
      number = this.#captureIds.length;
      this.#captureIds.push(captureId);
      this.#captureNumbers.set(captureId, number);
    }
    return number;
  }

  #grow(needed: number): void {
    if (needed <= this.#scales.length) return;
    const capacity = Math.max(needed, this.#scales.length * 2);
    this.#rows.ensure(capacity);
    const scales = new Float32Array(capacity);
    scales.set(this.#scales);
    const owners = new Int32Array(capacity);
    owners.set(this.#owners);
    this.#scales = scales;
    this.#owners = owners;
  }

  #compact(): void {
    // Captures are renumbered too, so deleted captures do not keep a number forever.
    const oldIds = this.#captureIds;
    this.#captureIds = [];
    this.#captureNumbers.clear();
    let w = 0;
    for (let slot = 0; slot < this.#passageIds.length; slot++) {
      const passageId = this.#passageIds[slot];
      if (passageId === null || passageId === undefined) continue;
      if (w !== slot) {
        const stride = this.#rows.stride;
        this.#rows.values.copyWithin(w * stride, slot * stride, (slot + 1) * stride);
        this.#scales[w] = this.#scales[slot]!;
        this.#passageIds[w] = passageId;
      }
      this.#owners[w] = this.#captureNumber(oldIds[this.#owners[slot]!]!);
      this.#slotOf.set(passageId, w);
      w++;
    }
    this.#passageIds.length = w;
    this.#dead = 0;
    this.#generation++;
  }
}
