/** Markdown notes as captures: front matter honoured, own notes read back exactly, bad notes refused. */
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveError, commitImport, notesToStaged, planImport } from '$lib/archive';
import { fixtureLibrary } from './helpers/app-archive-fixture';
import { openTestDb } from './helpers/app-db';

const note = (name: string, text: string) => ({ name, text, lastModified: Date.UTC(2025, 0, 2) });

describe('Markdown notes import', () => {
  it('honours Obsidian front matter: title, tags, date, private', async () => {
    const db = openTestDb('md');
    const staged = notesToStaged([
      note(
        'Krebs cycle.md',
        '---\ntitle: The Krebs cycle\ntags: [biology, "#energy"]\ndate: 2024-03-05\nprivate: true\n---\n\nCitrate → isocitrate.\n'
      ),
      note('Loose thought.md', '# A heading\n\nNo front matter here, <b>bold</b> stays text.'),
      note('Tagged.md', '---\ntags:\n  - one\n  - two\ncreated: 2023-01-01T10:00:00Z\n---\nBody')
    ]);
    const plan = await planImport(db, staged);
    expect(plan.summary.captures.new).toBe(3);
    await commitImport(db, plan);
    const captures = await db.captures.orderBy('createdAt').toArray();
    expect(
      captures.map((c) => [
        c.title,
        c.tags,
        c.private,
        c.source,
        new Date(c.createdAt).toISOString().slice(0, 10)
      ])
    ).toEqual([
      ['Tagged', ['one', 'two'], false, 'markdown', '2023-01-01'],
      ['The Krebs cycle', ['biology', 'energy'], true, 'markdown', '2024-03-05'],
      ['A heading', [], false, 'markdown', '2025-01-02']
    ]);
    expect(captures[2]!.text).toBe('No front matter here, <b>bold</b> stays text.');
  });

  it('importing the same notes twice changes nothing', async () => {
    const db = openTestDb('md-twice');
    const notes = [note('a.md', 'alpha'), note('b.md', '---\ntitle: Beta\n---\nbeta')];
    await commitImport(db, await planImport(db, notesToStaged(notes)));
    const again = await planImport(db, notesToStaged(notes));
    expect(again.summary.captures).toEqual({ new: 0, updated: 0, identical: 2, conflicts: 0 });
  });

  it('reads the notes this app exported back to the same title, text, tags and id', async () => {
    const files = unzipSync(
      new Uint8Array(readFileSync(resolve(import.meta.dirname, '../fixtures/archive/v1.zip')))
    );
    const notes = Object.entries(files)
      .filter(([k]) => k.startsWith('markdown/'))
      .map(([k, v]) => note(k.slice(9), strFromU8(v)));
    const db = openTestDb('md-own');
    await commitImport(db, await planImport(db, notesToStaged(notes)));
    for (const original of fixtureLibrary().captures) {
      const back = await db.captures.get(original.id);
      expect(back && [back.title, back.text, back.tags, back.private, back.createdAt]).toEqual([
        original.title,
        original.text,
        original.tags,
        original.private,
        original.createdAt
      ]);
    }
  });

  it('refuses broken front matter, naming the note', () => {
    const bad = () =>
      notesToStaged([note('ok.md', 'fine'), note('broken.md', '---\ntitle: [unclosed\n---\nx')]);
    expect(bad).toThrow(ArchiveError);
    expect(bad).toThrow(/broken\.md.*front matter/);
    const bomb = `---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\nx`;
    expect(() => notesToStaged([note('laughs.md', bomb)])).toThrow(ArchiveError);
    expect(() =>
      notesToStaged([note('huge.md', `---\ntitle: ${'x'.repeat(5000)}\n---\n`)])
    ).toThrow(/title is too long/);
  });
});
