/**
 * Background indexing against a real (in-memory) IndexedDB: passages follow capture edits and
 * deletes, every passage gets a vector, an interrupted run resumes where it stopped, and a model
 * change re-embeds everything before dropping the old vectors. Vectors here come from a small
 * deterministic function of the text (the worker and real model are tested elsewhere).
 */
import { describe, expect, it } from 'vitest';
import {
  createCapture,
  deleteCapture,
  editTranscript,
  saveTranscript
} from '$lib/db/captures-repo';
import type { LvaDatabase } from '$lib/db/database';
import type { CaptureId } from '$lib/db/ids';
import {
  forEachEmbeddingPage,
  passagesMissing,
  saveEmbeddings,
  vectorValues
} from '$lib/db/passages-repo';
import { getSetting } from '$lib/db/settings-repo';
import { embedMissing, syncPassages } from '$lib/embedding/indexer';
import { openTestDb } from './helpers/app-db';

let dbCount = 0;
const fresh = () => openTestDb(`indexer-${dbCount++}`);

/** A deterministic unit vector from character counts (stands in for the model). */
function fakeEmbed(texts: string[]): Promise<Float32Array[]> {
  return Promise.resolve(
    texts.map((t) => {
      const v = new Float32Array(4);
      for (const ch of t) v[ch.charCodeAt(0) % 4]! += 1;
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    })
  );
}

async function addCapture(db: LvaDatabase, text: string, now: number): Promise<CaptureId> {
  const c = await createCapture(
    db,
    { wav: new ArrayBuffer(8), sampleRate: 16000, durationMs: 1000, language: 'en', source: 'mic' },
    now
  );
  await saveTranscript(db, c.id, { text, segments: [], language: 'en', modelId: 'm' }, now);
  return c.id;
}

const long = (word: string) => Array.from({ length: 200 }, (_, i) => `${word}${i}.`).join(' ');

describe('syncPassages', () => {
  it('splits new captures, re-splits edited ones and drops deleted ones', async () => {
    const db = fresh();
    const a = await addCapture(db, 'Short capture about cells.', 1000);
    const b = await addCapture(db, long('word'), 1001);
    expect((await syncPassages(db)).sort()).toEqual([a, b].sort());
    expect(await db.passages.where('captureId').equals(b).count()).toBe(2);
    expect(await syncPassages(db)).toEqual([]);

    await editTranscript(db, a, 'Edited capture about mitochondria.', 2000);
    expect(await syncPassages(db)).toEqual([a]);
    expect((await db.passages.where('captureId').equals(a).first())?.text).toBe(
      'Edited capture about mitochondria.'
    );

    await deleteCapture(db, b);
    await syncPassages(db);
    expect(await db.passages.where('captureId').equals(b).count()).toBe(0);
    expect(await db.passages.count()).toBe(1);
  });

  it('gives a capture still being transcribed no passages', async () => {
    const db = fresh();
    await createCapture(
      db,
      { wav: new ArrayBuffer(8), sampleRate: 16000, durationMs: 1, language: 'en', source: 'mic' },
      5
    );
    await syncPassages(db);
    expect(await db.passages.count()).toBe(0);
  });
});

describe('embedMissing', () => {
  it('embeds every passage in batches as int8 vectors and reports progress', async () => {
    const db = fresh();
    await addCapture(db, long('alpha'), 1);
    await addCapture(db, 'One more passage.', 2);
    await syncPassages(db);
    const progress: number[] = [];
    const stored: number[] = [];
    const n = await embedMissing({
      db,
      modelId: 'model-a',
      embed: fakeEmbed,
      batchSize: 2,
      onProgress: (p) => progress.push(p.done),
      onStored: (records) => stored.push(records.length)
    });
    expect(n).toBe(3);
    expect(progress).toEqual([0, 2, 3]);
    expect(stored).toEqual([2, 1]);
    const records = await db.embeddings.toArray();
    expect(records).toHaveLength(3);
    for (const r of records) {
      expect(r).toMatchObject({ modelId: 'model-a', dims: 4, encoding: 'i8' });
      expect(vectorValues(r)).toBeInstanceOf(Int8Array);
    }
    expect(await getSetting(db, 'embedding.indexedModel', '')).toBe('model-a');
  });

  it('resumes after an interruption without redoing finished batches', async () => {
    const db = fresh();
    for (let i = 0; i < 5; i++) await addCapture(db, `Capture number ${i}.`, i + 1);
    await syncPassages(db);
    const controller = new AbortController();
    let calls = 0;
    const embed = (texts: string[]) => {
      calls++;
      if (calls === 2) controller.abort();
      return fakeEmbed(texts);
    };
    expect(
      await embedMissing({ db, modelId: 'm', embed, batchSize: 2, signal: controller.signal })
    ).toBe(4);
    expect(await db.embeddings.count()).toBe(4);
    expect(await getSetting(db, 'embedding.indexedModel', '')).toBe('');
    // "After reload": a new run embeds only what is missing.
    const texts: string[] = [];
    await embedMissing({ db, modelId: 'm', embed: (t) => (texts.push(...t), fakeEmbed(t)) });
    expect(texts).toHaveLength(1);
    expect(await db.embeddings.count()).toBe(5);
    expect(await getSetting(db, 'embedding.indexedModel', '')).toBe('m');
  });

  it('re-embeds everything when the model changes, then drops the old vectors', async () => {
    const db = fresh();
    await addCapture(db, 'First.', 1);
    await addCapture(db, 'Second.', 2);
    await syncPassages(db);
    await embedMissing({ db, modelId: 'old', embed: fakeEmbed });
    expect(await db.embeddings.where('modelId').equals('old').count()).toBe(2);
    expect(await embedMissing({ db, modelId: 'new', embed: fakeEmbed })).toBe(2);
    expect(await db.embeddings.where('modelId').equals('new').count()).toBe(2);
    expect(await db.embeddings.where('modelId').equals('old').count()).toBe(0);
    const paged: string[] = [];
    await forEachEmbeddingPage(
      db,
      'new',
      (page) => void paged.push(...page.map((r) => r.passageId)),
      1
    );
    expect(paged).toHaveLength(2);
  });

  it('lists the passages missing a vector of one model, page by page', async () => {
    const db = fresh();
    for (let i = 0; i < 7; i++) await addCapture(db, `Capture ${i}.`, i + 1);
    await syncPassages(db);
    const all = (await db.passages.toCollection().primaryKeys()).sort();
    expect(all).toHaveLength(7);
    const vector = (id: (typeof all)[number]) => ({
      passageId: id,
      captureId: 'c' as CaptureId,
      vector: new Int8Array([1, 0, 0, 0]),
      scale: 1 / 127
    });
    // Model "a" has passages 0, 3 and 6; model "b" has passages 1 and 2 (not "a"'s).
    await saveEmbeddings(db, 'a', [all[0]!, all[3]!, all[6]!].map(vector));
    await saveEmbeddings(db, 'b', [all[1]!, all[2]!].map(vector));
    const expected = [all[1], all[2], all[4], all[5]];
    for (const pageSize of [1, 2, 3, 7, 100])
      expect(await passagesMissing(db, 'a', pageSize)).toEqual(expected);
    expect(await passagesMissing(db, 'c', 2)).toEqual(all);
  });

  it('does not store a vector for a passage deleted while it was being embedded', async () => {
    const db = fresh();
    const id = await addCapture(db, 'Soon gone.', 1);
    await syncPassages(db);
    await embedMissing({
      db,
      modelId: 'm',
      embed: async (texts) => {
        await deleteCapture(db, id);
        await syncPassages(db);
        return fakeEmbed(texts);
      }
    });
    expect(await db.embeddings.count()).toBe(0);
  });
});
