/** Hostile and broken archives: each is refused with its own clear error, and nothing is written. */
import fc from 'fast-check';
import { deflateSync, strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArchiveError,
  bytesSource,
  commitImport,
  exportArchive,
  planImport,
  readArchive
} from '$lib/archive';
import { sha256Hex } from '$lib/archive/hashing';
import { contentOf, libraryArb, memorySink, seed } from './helpers/app-archive';
import { openTestDb } from './helpers/app-db';

let original: Uint8Array;

beforeAll(async () => {
  const [lib] = fc.sample(
    libraryArb(3).filter((l) => l.captures.length >= 2 && l.audio.length >= 1),
    { numRuns: 1, seed: 11 }
  );
  const db = openTestDb('hostile-source');
  await seed(db, lib!);
  const sink = memorySink();
  await exportArchive(db, sink, { appVersion: 'test', schemaVersion: 2, now: 1_700_000_000_000 });
  original = sink.bytes();
});

/** Rebuilds the archive after `edit`, re-hashing the manifest so only the edit is wrong. */
function rebuild(edit: (files: Record<string, Uint8Array>) => void, rehash = true): Uint8Array {
  const files = unzipSync(original);
  edit(files);
  if (rehash) {
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as {
      entries: { path: string; bytes: number; sha256: string }[];
    };
    for (const e of manifest.entries) {
      const data = files[e.path];
      if (data) Object.assign(e, { bytes: data.length, sha256: sha256Hex(data) });
    }
    files['manifest.json'] = strToU8(JSON.stringify(manifest));
  }
  return zipSync(files);
}

function editLine(table: string, change: (record: Record<string, unknown>) => void) {
  return (files: Record<string, Uint8Array>) => {
    const lines = strFromU8(files[table]!).trim().split('\n');
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    change(record);
    lines[0] = JSON.stringify(record);
    files[table] = strToU8(lines.join('\n') + '\n');
  };
}

async function refused(bytes: Uint8Array): Promise<ArchiveError> {
  const db = openTestDb(`hostile-${Math.random()}`);
  try {
    await commitImport(db, await planImport(db, await readArchive(bytesSource(bytes))));
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveError);
    expect((await contentOf(db)).captures).toEqual([]);
    return err as ArchiveError;
  }
  throw new Error('the archive was imported');
}

describe('hostile archives', () => {
  it('refuses a file that is not a zip, and a truncated one', async () => {
    expect((await refused(strToU8('hello, I am a text file that is long enough'))).code).toBe(
      'not_a_zip'
    );
    expect((await refused(original.subarray(0, original.length - 30))).code).toBe('truncated');
  });

  it('refuses a zip of something else', async () => {
    const err = await refused(zipSync({ 'photo.jpg': new Uint8Array(10) }));
    expect(err.code).toBe('unsafe_path');
    expect((await refused(zipSync({ 'captures.jsonl': strToU8('{}') }))).code).toBe(
      'not_an_archive'
    );
  });

  it('refuses an archive from a newer app', async () => {
    const err = await refused(
      rebuild((f) => {
        const m = JSON.parse(strFromU8(f['manifest.json']!)) as Record<string, unknown>;
        f['manifest.json'] = strToU8(JSON.stringify({ ...m, formatVersion: 2 }));
      })
    );
    expect(err.code).toBe('unsupported_version');
    expect(err.message).toMatch(/newer version of the app.*Update the app/);
  });

  it('refuses a wrong checksum', async () => {
    const err = await refused(
      rebuild(
        editLine('captures.jsonl', (r) => (r.title = 'tampered')),
        false
      )
    );
    expect(err.code).toBe('checksum_mismatch');
    expect(err.message).toContain('captures.jsonl');
  });

  it('refuses oversize fields, wrong types and unknown keys, naming the line and field', async () => {
    const long = await refused(
      rebuild(editLine('captures.jsonl', (r) => (r.title = 'x'.repeat(5000))))
    );
    expect(long.code).toBe('invalid_record');
    expect(long.message).toMatch(/captures\.jsonl line 1: title is too long/);
    const type = await refused(rebuild(editLine('captures.jsonl', (r) => (r.private = 'yes'))));
    expect(type.message).toMatch(/private/);
    const proto = await refused(
      rebuild((f) => {
        const text = strFromU8(f['captures.jsonl']!).replace(
          '{',
          '{"__proto__":{"polluted":true},'
        );
        f['captures.jsonl'] = strToU8(text);
      })
    );
    expect(proto.code).toBe('invalid_record');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const notJson = await refused(rebuild((f) => (f['replies.jsonl'] = strToU8('{"id": nope}\n'))));
    expect(notJson.message).toMatch(/replies\.jsonl line 1 is not valid JSON/);
  });

  it('refuses broken references between records', async () => {
    const err = await refused(rebuild(editLine('audio.jsonl', (r) => (r.captureId = 'nobody'))));
    expect(err.code).toBe('broken_reference');
  });

  it('refuses path traversal and absolute names before reading anything', async () => {
    for (const name of [
      '../../evil.jsonl',
      '/etc/passwd',
      'audio/../../x.wav',
      'C:\\x.wav',
      'markdown/a/../../b.md'
    ]) {
      const err = await refused(rebuild((f) => (f[name] = strToU8('x')), false));
      expect(err.code, name).toBe('unsafe_path');
    }
  });

  it('refuses zip bombs: extreme ratios and entries that unpack past their declared size', async () => {
    const bomb = await refused(
      rebuild((f) => (f['notes.jsonl'] = new Uint8Array(64 * 1024 * 1024)), false)
    );
    expect(bomb.code).toBe('zip_bomb');
    // A captures.jsonl whose central directory claims 10 bytes but inflates to far more.
    const zip = zipSync(
      { 'manifest.json': strToU8('{}'), 'captures.jsonl': new Uint8Array(5000) },
      { level: 9 }
    );
    const view = new DataView(zip.buffer);
    for (let p = zip.length - 22; p >= 0; p--) {
      if (
        view.getUint32(p, true) === 0x02014b50 &&
        strFromU8(zip.subarray(p + 46, p + 46 + 14)) === 'captures.jsonl'
      ) {
        view.setUint32(p + 24, 10, true);
        break;
      }
    }
    const lying = await refused(zip);
    expect(['zip_bomb', 'not_an_archive']).toContain(lying.code);
    expect(deflateSync(new Uint8Array(1)).length).toBeGreaterThan(0);
  });

  it('refuses encrypted entries', async () => {
    const zip = original.slice();
    const view = new DataView(zip.buffer);
    for (let p = zip.length - 22; p >= 0; p--)
      if (view.getUint32(p, true) === 0x02014b50)
        view.setUint16(p + 8, view.getUint16(p + 8, true) | 1, true);
    expect((await refused(zip)).code).toBe('encrypted');
  });

  it('keeps HTML in text as text: stored exactly, escaped in the Markdown notes', async () => {
    const db = openTestDb('html');
    const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const bytes = rebuild(editLine('captures.jsonl', (r) => (r.text = html)));
    await commitImport(db, await planImport(db, await readArchive(bytesSource(bytes))));
    expect((await db.captures.toArray()).some((c) => c.text === html)).toBe(true);
    const notes = Object.entries(unzipSync(original)).filter(([k]) => k.startsWith('markdown/'));
    expect(notes.length).toBeGreaterThan(0);
    // The body (after the front matter, whose values Obsidian shows as text) holds no markup.
    for (const [, note] of notes)
      expect(strFromU8(note).split(/\n---\n/)[1]).not.toMatch(/<script>|<img /);
  });
});
