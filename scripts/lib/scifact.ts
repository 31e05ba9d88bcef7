/**
 * Reads BEIR SciFact from the shared folder at run time (CC BY-NC: an evaluation fixture only,
 * never copied into the repo or a build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A corpus document. */
export interface SciFactDoc {
  id: string;
  title: string;
  text: string;
}

/** A query with its relevant documents. */
export interface SciFactQuery {
  id: string;
  text: string;
  relevant: Set<string>;
}

/** The corpus and the judged queries of both splits. */
export interface SciFact {
  dir: string;
  docs: SciFactDoc[];
  train: SciFactQuery[];
  test: SciFactQuery[];
}

/** The shared SciFact folder (LVA_SHARED_DIR or ../shared next to the repo). */
export function sciFactDir(repoRoot: string): string {
  const shared = resolve(process.env.LVA_SHARED_DIR ?? join(repoRoot, '..', 'shared'));
  return join(shared, 'eval/ir/scifact');
}

function jsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

function qrels(path: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const [query, doc, score] = line.trim().split('\t');
    if (!query || !doc || Number(score) <= 0) continue;
    const set = out.get(query) ?? new Set<string>();
    set.add(doc);
    out.set(query, set);
  }
  return out;
}

/** Loads SciFact; throws a clear error when the shared data is missing. */
export function loadSciFact(repoRoot: string): SciFact {
  const dir = sciFactDir(repoRoot);
  if (!existsSync(join(dir, 'corpus.jsonl')))
    throw new Error(`SciFact is missing at ${dir} (set LVA_SHARED_DIR to the shared folder).`);
  const docs = jsonl<{ _id: string; title: string; text: string }>(join(dir, 'corpus.jsonl')).map(
    (d) => ({ id: d._id, title: d.title, text: d.text })
  );
  const queries = new Map(
    jsonl<{ _id: string; text: string }>(join(dir, 'queries.jsonl')).map((q) => [q._id, q.text])
  );
  const split = (file: string): SciFactQuery[] =>
    [...qrels(join(dir, 'qrels', file))].map(([id, relevant]) => ({
      id,
      text: queries.get(id) ?? '',
      relevant
    }));
  return { dir, docs, train: split('train.tsv'), test: split('test.tsv') };
}
