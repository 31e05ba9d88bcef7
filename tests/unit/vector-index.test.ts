import { describe, expect, it } from 'vitest';
import { VectorIndex, normalize, quantize } from '$lib/search/vector-index';

const v = (...values: number[]) => normalize(Float32Array.from(values));
const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
};

describe('quantize', () => {
  it('keeps a unit vector within int8 rounding error', () => {
    const x = v(0.3, -0.9, 0.1, 0.05);
    const { values, scale } = quantize(x);
    expect(Math.max(...values.map(Math.abs))).toBe(127);
    values.forEach((q, i) => expect(Math.abs(q * scale - x[i]!)).toBeLessThanOrEqual(scale / 2));
  });

  it('leaves a zero vector zero', () => {
    expect([...quantize(new Float32Array(3)).values]).toEqual([0, 0, 0]);
  });
});

describe('VectorIndex', () => {
  function build() {
    const index = new VectorIndex(3, 2);
    index.set('p1', 'c1', v(1, 0, 0));
    index.set('p2', 'c1', v(0, 1, 0));
    index.set('p3', 'c2', v(0.8, 0.6, 0));
    index.set('p4', 'c3', v(0, 0, 1));
    return index;
  }

  it('ranks captures by the cosine of their best passage (exact, like a brute-force reference)', () => {
    const index = build();
    const query = v(0.2, 1, 0.1);
    const hits = index.search(query, 10);
    expect(hits.map((h) => h.captureId)).toEqual(['c1', 'c2', 'c3']);
    expect(hits[0]?.passageId).toBe('p2');
    expect(hits[0]?.similarity).toBeCloseTo(cosine(query, v(0, 1, 0)), 2);
    expect(hits[1]?.similarity).toBeCloseTo(cosine(query, v(0.8, 0.6, 0)), 2);
  });

  it('limits, filters and removes', () => {
    const index = build();
    expect(index.search(v(1, 0, 0), 1).map((h) => h.captureId)).toEqual(['c1']);
    expect(index.search(v(1, 0, 0), 5, (id) => id !== 'c1')[0]?.captureId).toBe('c2');
    index.removeCapture('c1');
    expect(index.hasCapture('c1')).toBe(false);
    expect(index.size).toBe(2);
    expect(index.search(v(1, 0, 0), 5).map((h) => h.captureId)).toEqual(['c2', 'c3']);
  });

  it('replaces a passage vector and survives compaction', () => {
    const index = new VectorIndex(2);
    for (let i = 0; i < 3000; i++) index.set(`p${i}`, `c${i}`, v(1, i / 3000));
    for (let i = 0; i < 2900; i++) index.removePassage(`p${i}`);
    index.set('p2999', 'c2999', v(0, 1));
    expect(index.size).toBe(100);
    expect(index.search(v(0, 1), 1)[0]?.captureId).toBe('c2999');
    expect(index.vectorOf('p2999')?.[1]).toBeCloseTo(1, 2);
  });

  it('equals a float brute-force reference on many passages per capture, after removals', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const dims = 24;
    const index = new VectorIndex(dims, 4);
    const stored = new Map<string, { capture: string; vector: Float32Array }>();
    for (let i = 0; i < 600; i++) {
      const vector = v(...Array.from({ length: dims }, random));
      const capture = `c${(i * 37) % 150}`;
      index.set(`p${i}`, capture, vector);
      stored.set(`p${i}`, { capture, vector });
    }
    for (let i = 0; i < 600; i += 7) {
      index.removePassage(`p${i}`);
      stored.delete(`p${i}`);
    }
    index.removeCapture('c3');
    for (const [id, p] of stored) if (p.capture === 'c3') stored.delete(id);
    const accept = (id: string) => id !== 'c5';
    for (let q = 0; q < 20; q++) {
      const query = v(...Array.from({ length: dims }, random));
      const best = new Map<string, number>();
      for (const p of stored.values())
        best.set(p.capture, Math.max(best.get(p.capture) ?? -Infinity, cosine(query, p.vector)));
      const expected = [...best].filter(([id]) => accept(id)).sort((a, b) => b[1] - a[1]);
      const hits = index.search(query, 10, accept);
      expect(hits).toHaveLength(10);
      hits.forEach((hit, rank) => {
        // Within int8 rounding of the stored vectors: the same similarity at every rank …
        expect(Math.abs(hit.similarity - expected[rank]![1])).toBeLessThan(0.02);
        expect(Math.abs(hit.similarity - best.get(hit.captureId)!)).toBeLessThan(0.02);
        // … and the same capture wherever the reference's scores are not a near tie.
        const gap = Math.min(
          Math.abs(expected[rank]![1] - (expected[rank - 1]?.[1] ?? Infinity)),
          Math.abs(expected[rank]![1] - (expected[rank + 1]?.[1] ?? -Infinity))
        );
        if (gap > 0.04) expect(hit.captureId).toBe(expected[rank]![0]);
        expect(stored.get(hit.passageId)?.capture).toBe(hit.captureId);
      });
    }
  });

  it('scores the same with the WebAssembly SIMD kernel and the plain-JS one', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const dims = 40; // not a multiple of 16: rows are padded
    const simd = new VectorIndex(dims, 2);
    const plain = new VectorIndex(dims, 2, { simd: false });
    for (let i = 0; i < 5000; i++) {
      const vector = v(...Array.from({ length: dims }, random));
      simd.set(`p${i}`, `c${i % 900}`, vector);
      plain.set(`p${i}`, `c${i % 900}`, vector);
    }
    const query = v(...Array.from({ length: dims }, random));
    const a = new Float32Array(5000);
    const b = new Float32Array(5000);
    simd.scan(query, 0, 5000, a);
    plain.scan(query, 0, 5000, b);
    expect([...a]).toEqual([...b]);
    expect(simd.search(query, 20)).toEqual(plain.search(query, 20));
    expect(a.some((x) => x !== 0)).toBe(true);
  });

  it('rejects vectors of the wrong size with a clear error', () => {
    expect(() => build().set('x', 'y', v(1, 0))).toThrow(/2 dimensions, the index 3/);
    expect(() => build().search(v(1, 0), 1)).toThrow(/dimensions/);
  });
});
