/**
 * Property: any generated library exported, wiped and imported comes back identical, audio bytes
 * included; importing the same archive again changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitImport, exportArchive, planImport, readArchive, bytesSource } from '$lib/archive';
import { contentOf, libraryArb, memorySink, seed } from './helpers/app-archive';
import { openTestDb } from './helpers/app-db';

const exportOf = async (db: ReturnType<typeof openTestDb>) => {
  const sink = memorySink();
  await exportArchive(db, sink, {
    appVersion: 'test',
    schemaVersion: 2,
    includeEmbeddings: true,
    now: 1_700_000_000_000
  });
  return sink.bytes();
};

describe('archive round trip', () => {
  it('export → wipe → import gives the same library, and a second import changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(libraryArb(4), async (lib) => {
        const source = openTestDb('source');
        await seed(source, lib);
        const expected = await contentOf(source);
        const bytes = await exportOf(source);

        const target = openTestDb('target');
        const plan = await planImport(target, await readArchive(bytesSource(bytes)));
        expect(plan.summary.captures.new).toBe(lib.captures.length);
        await commitImport(target, plan);
        expect(await contentOf(target)).toEqual(expected);

        const again = await planImport(target, await readArchive(bytesSource(bytes)));
        for (const s of Object.values(again.summary))
          expect(s.new + s.updated + s.conflicts).toBe(0);
        await commitImport(target, again);
        expect(await contentOf(target)).toEqual(expected);
        source.close();
        target.close();
      }),
      { numRuns: 100 }
    );
  }, 120_000);
});

describe('device index state', () => {
  it('is neither exported nor imported: each device rebuilds its own', async () => {
    const source = openTestDb('device-state-source');
    await source.settings.bulkPut([
      { key: 'partner.strategy', value: 'socratic' },
      { key: 'search.snapshot', value: { version: 1, watermark: 9e12 } },
      { key: 'embedding.passagesSyncedAt', value: 9e12 },
      { key: 'embedding.indexedModel', value: 'Xenova/all-MiniLM-L6-v2' }
    ]);
    const bytes = await exportOf(source);
    const staged = await readArchive(bytesSource(bytes));
    expect(staged.tables.settings.map((s) => s.key)).toEqual(['partner.strategy']);

    // An archive that carries them anyway (written by an older version) does not import them.
    const target = openTestDb('device-state-target');
    const carrying = await readArchive(bytesSource(bytes));
    carrying.tables.settings.push(
      { key: 'embedding.passagesSyncedAt', value: 9e12 },
      { key: 'search.snapshot', value: { version: 1, watermark: 9e12 } }
    );
    const plan = await planImport(target, carrying);
    expect(plan.summary.settings.new).toBe(1);
    await commitImport(target, plan);
    expect((await target.settings.toArray()).map((s) => s.key)).toEqual(['partner.strategy']);
    source.close();
    target.close();
  });
});
