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
