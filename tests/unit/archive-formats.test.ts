/**
 * Frozen archives of every released format version import into the current app with exactly the
 * content they were made from. RULE: when the format version goes up, freeze the new version's
 * fixture next to the old ones (LVA_FREEZE_ARCHIVE=v<n>) and add it to FORMATS; never edit a
 * released fixture: it stands for archives people already keep.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_FORMAT_VERSION,
  bytesSource,
  commitImport,
  exportArchive,
  planImport,
  readArchive
} from '$lib/archive';
import { contentOf, memorySink, seed } from './helpers/app-archive';
import { fixtureLibrary } from './helpers/app-archive-fixture';
import { openTestDb } from './helpers/app-db';

const dir = resolve(import.meta.dirname, '../fixtures/archive');
const FORMATS = [1];

describe('released archive formats', () => {
  it.runIf(process.env.LVA_FREEZE_ARCHIVE === `v${ARCHIVE_FORMAT_VERSION}`)(
    'freezes the current format',
    async () => {
      const db = openTestDb('freeze');
      await seed(db, fixtureLibrary());
      const sink = memorySink();
      await exportArchive(db, sink, {
        appVersion: '0.1.0',
        schemaVersion: 2,
        includeEmbeddings: true,
        now: Date.UTC(2026, 10, 24)
      });
      const file = resolve(dir, `v${ARCHIVE_FORMAT_VERSION}.zip`);
      if (existsSync(file)) throw new Error(`${file} is released and frozen`);
      writeFileSync(file, sink.bytes());
      writeFileSync(
        resolve(dir, `v${ARCHIVE_FORMAT_VERSION}.expected.json`),
        JSON.stringify(await contentOf(db), null, 1) + '\n'
      );
    }
  );

  it('every released version has a frozen fixture, and the current version is among them', () => {
    expect(FORMATS).toContain(ARCHIVE_FORMAT_VERSION);
    for (const v of FORMATS) expect(existsSync(resolve(dir, `v${v}.zip`)), `v${v}.zip`).toBe(true);
  });

  for (const version of FORMATS) {
    it(`imports the frozen format v${version} archive exactly, and a second time changes nothing`, async () => {
      const bytes = new Uint8Array(readFileSync(resolve(dir, `v${version}.zip`)));
      const expected = JSON.parse(
        readFileSync(resolve(dir, `v${version}.expected.json`), 'utf8')
      ) as Record<string, string[]>;
      const db = openTestDb(`format-${version}`);
      const plan = await planImport(db, await readArchive(bytesSource(bytes)));
      expect(plan.summary.captures).toEqual({ new: 2, updated: 0, identical: 0, conflicts: 0 });
      expect(plan.staged.manifest?.includesPrivate).toBe(true);
      await commitImport(db, plan);
      expect(await contentOf(db)).toEqual(expected);
      const again = await planImport(db, await readArchive(bytesSource(bytes)));
      expect(again.summary.captures).toEqual({ new: 0, updated: 0, identical: 2, conflicts: 0 });
    });
  }

  it('a library edited since the export shows updates and conflicts, keeping the newer local copy', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(dir, 'v1.zip')));
    const db = openTestDb('conflicts');
    await seed(db, fixtureLibrary());
    const [first, second] = fixtureLibrary().captures;
    await db.captures.put({
      ...first!,
      text: 'edited later on this device',
      updatedAt: first!.updatedAt + 1
    });
    await db.captures.put({ ...second!, text: 'older', updatedAt: second!.updatedAt - 1 });
    const plan = await planImport(db, await readArchive(bytesSource(bytes)));
    expect(plan.summary.captures).toEqual({ new: 0, updated: 1, identical: 0, conflicts: 1 });
    await commitImport(db, plan);
    expect((await db.captures.get(first!.id))?.text).toBe('edited later on this device');
    expect((await db.captures.get(second!.id))?.text).toBe(second!.text);
    const preferArchive = await planImport(db, await readArchive(bytesSource(bytes)), true);
    await commitImport(db, preferArchive);
    expect((await db.captures.get(first!.id))?.text).toBe(first!.text);
  });
});
