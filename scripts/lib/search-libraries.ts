/**
 * The well-kept search libraries the issue names, behind one interface, so scripts/eval-search.ts
 * can measure them against our index on the same data in the same process (the evidence for
 * choosing our own BM25). Each is configured as its documentation suggests for English text.
 */
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import FlexSearch from 'flexsearch';
import lunr from 'lunr';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import type { SciFactDoc } from './scifact.js';

/** A built index: ranks document ids for a query. */
export interface LibraryIndex {
  name: string;
  search(query: string, limit: number): Promise<string[]> | string[];
}

/** lunr 2 (BM25, English stemmer and stop words by default), title and text fields. */
export function buildLunr(docs: readonly SciFactDoc[]): LibraryIndex {
  const index = lunr(function () {
    this.ref('id');
    this.field('title');
    this.field('text');
    for (const doc of docs) this.add(doc);
  });
  // Terms through lunr's own tokenizer and pipeline (stemmer, stop words), not its query
  // syntax, in which claims' - : ^ characters would be operators.
  return {
    name: 'lunr 2.3.9',
    search: (q, limit) =>
      index
        .query((query) => {
          for (const token of lunr.tokenizer(q)) query.term(token.toString(), {});
        })
        .slice(0, limit)
        .map((r) => r.ref)
  };
}

/** MiniSearch 7 with a Porter stemmer (its docs' recipe), title and text fields. */
export function buildMiniSearch(docs: readonly SciFactDoc[]): LibraryIndex {
  const index = new MiniSearch<SciFactDoc>({
    fields: ['title', 'text'],
    processTerm: (term) => stemmer(term.toLowerCase())
  });
  index.addAll(docs);
  return {
    name: 'MiniSearch 7.2 + stemmer',
    search: (q, limit) =>
      index
        .search(q)
        .slice(0, limit)
        .map((r) => String(r.id))
  };
}

/** FlexSearch 0.8 Document index, default tokenizer, title and text fields, `suggest` on. */
export function buildFlexSearch(docs: readonly SciFactDoc[]): LibraryIndex {
  type FlexDoc = { id: string; title: string; text: string } & Record<string, string>;
  const index = new FlexSearch.Document<FlexDoc>({
    document: { id: 'id', index: ['title', 'text'] }
  });
  for (const doc of docs) index.add({ ...doc });
  return {
    name: 'FlexSearch 0.8',
    search: (q, limit) => {
      // Merge the per-field result lists, best rank first.
      const ids: string[] = [];
      // suggest: rank documents matching some of the words (the default demands all of them).
      const fields = index.search(q, { limit, suggest: true }) as {
        result: (string | number)[];
      }[];
      for (let rank = 0; ids.length < limit; rank++) {
        let any = false;
        for (const field of fields) {
          const id = field.result[rank];
          if (id === undefined) continue;
          any = true;
          if (!ids.includes(String(id))) ids.push(String(id));
        }
        if (!any) break;
      }
      return ids.slice(0, limit);
    }
  };
}

/** Orama 3 full-text (BM25) with defaults, title and text fields. */
export async function buildOrama(docs: readonly SciFactDoc[]): Promise<LibraryIndex> {
  const db = create({ schema: { id: 'string', title: 'string', text: 'string' } as const });
  await insertMultiple(
    db,
    docs.map((d) => ({ ...d }))
  );
  return {
    name: 'Orama 3.1 (defaults)',
    search: async (q, limit) => {
      const result = await oramaSearch(db, { term: q, limit, properties: ['title', 'text'] });
      return result.hits.map((h) => String(h.document.id));
    }
  };
}
