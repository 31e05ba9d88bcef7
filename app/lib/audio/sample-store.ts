/** A growing recording kept as its chunks, sliced by absolute sample index without copying it all. */
export class SampleStore {
  private readonly chunks: Float32Array[] = [];
  private readonly offsets: number[] = [];
  private total = 0;

  /** Samples stored. */
  get length(): number {
    return this.total;
  }

  /** Appends a chunk (kept by reference: do not modify it afterwards). */
  push(chunk: Float32Array): void {
    if (chunk.length === 0) return;
    this.offsets.push(this.total);
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** A copy of samples [start, end), clamped to what is stored. */
  slice(start: number, end: number): Float32Array {
    const from = Math.max(0, Math.min(start, this.total));
    const to = Math.max(from, Math.min(end, this.total));
    const out = new Float32Array(to - from);
    let i = this.find(from);
    while (i < this.chunks.length && this.offsets[i]! < to) {
      const chunk = this.chunks[i]!;
      const offset = this.offsets[i]!;
      const a = Math.max(from, offset);
      const b = Math.min(to, offset + chunk.length);
      out.set(chunk.subarray(a - offset, b - offset), a - from);
      i++;
    }
    return out;
  }

  /** Everything stored, as one buffer. */
  all(): Float32Array {
    return this.slice(0, this.total);
  }

  private find(sample: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= sample) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }
}
