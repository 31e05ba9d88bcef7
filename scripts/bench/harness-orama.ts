/**
 * Orama's own hybrid search on the same captures and vectors, for the side-by-side ratio. Orama
 * holds one vector per document, so each capture gets its first passage's vector (our engine
 * scores every passage, which is more work for us, not less).
 */
import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';
import { summarize, type BenchData, type Latency } from './harness-data';

/** Builds an Orama index of `n` captures (replicated documents) with vectors. */
export async function buildOramaIndex(
  d: BenchData,
  n: number
): Promise<{ db: AnyOrama; buildMs: number }> {
  const firstPassage = new Map<number, number>();
  d.passages.forEach((p, i) => {
    if (!firstPassage.has(p.doc)) firstPassage.set(p.doc, i);
  });
  const started = performance.now();
  const db = create({
    schema: { title: 'string', text: 'string', embedding: `vector[${d.dims}]` } as const
  });
  for (let start = 0; start < n; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const docIndex = i % d.docs.length;
      const doc = d.docs[docIndex]!;
      const p = firstPassage.get(docIndex) ?? 0;
      batch.push({
        id: `cap-${i}`,
        title: doc.title,
        text: doc.text,
        embedding: Array.from(d.vectors.subarray(p * d.dims, (p + 1) * d.dims))
      });
    }
    await insertMultiple(db, batch);
  }
  return { db, buildMs: performance.now() - started };
}

/** Orama full-text, vector and hybrid latency on the test queries (limit 50, like the app). */
export async function oramaLatencies(db: AnyOrama, d: BenchData): Promise<Record<string, Latency>> {
  const qv = (i: number) => Array.from(d.queryVectors.subarray(i * d.dims, (i + 1) * d.dims));
  const time = async (run: (q: string, i: number) => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < d.queries.length; i++) {
      const t = performance.now();
      await run(d.queries[i]!, i);
      times.push(performance.now() - t);
    }
    return summarize(times);
  };
  // Similarity 0: rank every vector, as our exact top-k does (Orama's default cuts at 0.8).
  await search(db, { term: d.queries[0]!, limit: 50 });
  return {
    keyword: await time((q) => Promise.resolve(search(db, { term: q, limit: 50 }))),
    vector: await time((_, i) =>
      Promise.resolve(
        search(db, {
          mode: 'vector',
          vector: { value: qv(i), property: 'embedding' },
          similarity: 0,
          limit: 50
        })
      )
    ),
    hybrid: await time((q, i) =>
      Promise.resolve(
        search(db, {
          mode: 'hybrid',
          term: q,
          vector: { value: qv(i), property: 'embedding' },
          similarity: 0,
          limit: 50
        })
      )
    )
  };
}
