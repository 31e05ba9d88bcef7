import { describe, expect, it } from 'vitest';
import { SearchEngine, type SearchableCapture } from '$lib/search/search-engine';
import { normalize, VectorIndex } from '$lib/search/vector-index';

const day = (d: number) => new Date(2026, 0, d).getTime();
const capture = (
  id: string,
  text: string,
  extra: Partial<SearchableCapture> = {}
): SearchableCapture => ({
  id,
  title: '',
  text,
  tags: [],
  source: 'mic',
  createdAt: day(1),
  ...extra
});
const v = (...x: number[]) => normalize(Float32Array.from(x));

function engine() {
  const e = new SearchEngine();
  e.upsert(
    capture('cells', 'Mitochondria are the powerhouse of the cell', {
      tags: ['biology'],
      createdAt: day(1)
    })
  );
  e.upsert(
    capture('plants', 'Photosynthesis turns light into chemical energy', {
      tags: ['biology'],
      createdAt: day(5)
    })
  );
  e.upsert(
    capture('rome', 'The Roman empire fell in 476', {
      tags: ['history'],
      source: 'import',
      createdAt: day(9)
    })
  );
  const vectors = new VectorIndex(3);
  vectors.set('p-cells', 'cells', v(1, 0, 0));
  vectors.set('p-plants', 'plants', v(0.9, 0.3, 0));
  vectors.set('p-rome', 'rome', v(0, 0, 1));
  e.vectors = vectors;
  return e;
}

describe('SearchEngine', () => {
  it('finds by words as you type and says the words matched', () => {
    const [hit] = engine().search({ query: 'photosynth' });
    expect(hit).toMatchObject({ id: 'plants', reason: 'words', meaning: null });
    expect(hit?.keyword?.matched).toEqual([{ term: 'photosynthesi', kind: 'prefix' }]);
  });

  it('adds meaning matches and says which side found each result', () => {
    const results = engine().search({ query: 'energy ', queryVector: v(1, 0.1, 0) });
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId.plants?.reason).toBe('both');
    expect(byId.cells?.reason).toBe('meaning');
    expect(results[0]?.id).toBe('plants');
    expect(byId.cells?.meaning?.similarity).toBeGreaterThan(0.9);
  });

  it('applies date, tag and source filters to both sides', () => {
    const e = engine();
    const q = { query: 'the ', queryVector: v(1, 1, 1) };
    expect(e.search({ ...q, filters: { tags: ['history'] } }).map((r) => r.id)).toEqual(['rome']);
    expect(e.search({ ...q, filters: { source: 'mic', from: day(3) } }).map((r) => r.id)).toEqual([
      'plants'
    ]);
    expect(e.filtered({ tags: ['biology'] })).toEqual(['plants', 'cells']);
  });

  it('lists tags by use and forgets removed captures', () => {
    const e = engine();
    expect(e.tags()).toEqual([
      { tag: 'biology', count: 2 },
      { tag: 'history', count: 1 }
    ]);
    e.remove('rome');
    expect(e.search({ query: 'roman ' })).toEqual([]);
    expect(e.search({ query: 'x', queryVector: v(0, 0, 1) }).map((r) => r.id)).not.toContain(
      'rome'
    );
  });

  it('relates captures by meaning, never the capture itself', () => {
    const e = engine();
    const related = e.related(capture('cells', 'Mitochondria are the powerhouse of the cell'));
    expect(related.map((r) => r.id)).toEqual(['plants', 'rome']);
    expect(related[0]?.reason).toBe('meaning');
  });

  it('relates captures by shared distinctive words without vectors', () => {
    const e = new SearchEngine();
    e.upsert(capture('a', 'Enzymes speed up reactions in the cell'));
    e.upsert(capture('b', 'Enzymes and catalysts lower activation energy'));
    e.upsert(capture('c', 'A poem about the sea'));
    const related = e.related(capture('a', 'Enzymes speed up reactions in the cell'));
    expect(related.map((r) => r.id)).toEqual(['b']);
    expect(related[0]?.reason).toBe('words');
  });

  it('keeps an exact, decisive keyword match first when meaning disagrees', () => {
    const e = engine();
    const results = e.search({ query: 'mitochondria powerhouse ', queryVector: v(0, 0, 1) });
    expect(results[0]).toMatchObject({ id: 'cells', strong: true });
  });
});

describe('SearchEngine.searchSliced', () => {
  it('gives the same results as the one-go search, pausing between slices', async () => {
    const e = engine();
    const big = new VectorIndex(3);
    for (let i = 0; i < 50; i++)
      big.set(`p${i}`, ['cells', 'plants', 'rome'][i % 3]!, v(i % 7, 1, i % 5));
    e.vectors = big;
    const request = { query: 'energy ', queryVector: v(1, 0.2, 0.3) };
    let pauses = 0;
    const pause = () => {
      pauses++;
      return Promise.resolve();
    };
    const sliced = await e.searchSliced(request, pause);
    expect(sliced).toEqual(e.search(request));
    expect(pauses).toBe(0);
    const slicedSmall = await big.searchSliced(v(1, 0.2, 0.3), 10, pause, undefined, 8);
    expect(slicedSmall).toEqual(big.search(v(1, 0.2, 0.3), 10));
    expect(pauses).toBe(6);
  });
});

describe('SearchEngine.relatedSliced', () => {
  it('gives the same related captures as the one-go version, pausing between slices', async () => {
    const e = engine();
    const big = new VectorIndex(3);
    for (let i = 0; i < 60; i++)
      big.set(`p${i}`, ['cells', 'plants', 'rome'][i % 3]!, v(i % 7, 1, i % 5));
    e.vectors = big;
    let pauses = 0;
    const pause = () => {
      pauses++;
      return Promise.resolve();
    };
    const cells = capture('cells', 'Mitochondria are the powerhouse of the cell');
    const sliced = await e.relatedSliced(cells, pause, 5);
    expect(sliced.map((r) => r.id)).toEqual(['plants', 'rome']);
    expect(sliced).toEqual(e.related(cells, 5));
    // Without vectors for the capture: by words, the same either way.
    const loose = capture('loose', 'Mitochondria and photosynthesis');
    expect(await e.relatedSliced(loose, pause)).toEqual(e.related(loose));
    expect(pauses).toBe(0);
  });
});

describe('SearchEngine stored state', () => {
  it('restores keyword search, filters and tags from a stored copy (through IndexedDB)', async () => {
    const { openTestDb } = await import('./helpers/app-db');
    const { loadSnapshot, saveSnapshot } = await import('$lib/search/search-snapshot');
    const db = openTestDb('snapshot');
    expect(await loadSnapshot(db)).toBeNull();
    const original = engine();
    expect(await saveSnapshot(db, 1234, original.exportState())).toBe(true);
    const stored = await loadSnapshot(db);
    expect(stored?.watermark).toBe(1234);
    const restored = new SearchEngine();
    expect(restored.importState(stored!.state)).toBe(true);
    expect(restored.search({ query: 'photosynth' })).toEqual(
      original.search({ query: 'photosynth' }).map((r) => ({ ...r, meaning: null }))
    );
    expect(restored.filtered({ tags: ['biology'] })).toEqual(['plants', 'cells']);
    expect(restored.tags()).toEqual(original.tags());
    restored.remove('plants');
    expect(restored.search({ query: 'photosynthesis ' })).toEqual([]);
  });
});
