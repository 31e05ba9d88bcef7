/**
 * Fuzz: 1,200 mutated archives (bit flips, truncation, shuffled and renamed entries, lying sizes,
 * garbage). Each import either succeeds with exactly the original content (a mutation may hit a
 * byte nothing reads) or fails with a clear ArchiveError, and in both cases never leaves a
 * partial write: the library is either unchanged or holds the whole archive.
 */
import fc from 'fast-check';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArchiveError,
  bytesSource,
  commitImport,
  exportArchive,
  planImport,
  readArchive
} from '$lib/archive';
import { contentOf, libraryArb, memorySink, seed, type Library } from './helpers/app-archive';
import { openTestDb } from './helpers/app-db';

let original: Uint8Array;
let expected: Record<string, string[]>;
let before: Record<string, string[]>;
let existing: Library | undefined;

beforeAll(async () => {
  const [lib] = fc.sample(
    libraryArb(3).filter((l) => l.captures.length >= 2 && l.audio.length >= 1),
    { numRuns: 1, seed: 7 }
  );
  const source = openTestDb('fuzz-source');
  await seed(source, lib!);
  const sink = memorySink();
  await exportArchive(source, sink, {
    appVersion: 'fuzz',
    schemaVersion: 2,
    includeEmbeddings: true,
    now: 1_700_000_000_000
  });
  original = sink.bytes();
  // The library being imported into already holds something else, so a partial write would show.
  [existing] = fc.sample(
    libraryArb(2, 'x').filter((l) => l.captures.length > 0),
    { numRuns: 1, seed: 99 }
  );
  const both = openTestDb('fuzz-both');
  await seed(both, existing!);
  before = await contentOf(both);
  await seed(both, lib!);
  expected = await contentOf(both);
});

type Outcome = 'imported' | 'refused';

async function importInto(bytes: Uint8Array): Promise<{ outcome: Outcome; error?: ArchiveError }> {
  const db = openTestDb(`fuzz-${Math.random()}`);
  await seed(db, existing!);
  try {
    const plan = await planImport(db, await readArchive(bytesSource(bytes)));
    await commitImport(db, plan);
    expect(await contentOf(db)).toEqual(expected);
    return { outcome: 'imported' };
  } catch (err) {
    // Only our own clear errors are acceptable; anything else is a crash.
    if (!(err instanceof ArchiveError)) throw err;
    expect(err.message.length).toBeGreaterThan(10);
    expect(await contentOf(db)).toEqual(before);
    return { outcome: 'refused', error: err };
  } finally {
    db.close();
  }
}

const entriesOf = (bytes: Uint8Array) => Object.entries(unzipSync(bytes));
const rezip = (entries: [string, Uint8Array][]) =>
  zipSync(Object.fromEntries(entries), { level: 6 });

const HOSTILE = [
  '../escape.jsonl',
  '/etc/passwd',
  'C:\\windows\\evil.wav',
  'audio/../../up.wav',
  'audio/x\0.wav',
  'a/'.repeat(150) + 'x.jsonl',
  'markdown/../../../note.md',
  'captures.jsonl '
];

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    bits: fc.array(fc.nat(), { minLength: 1, maxLength: 8 })
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('shuffle' as const),
    order: fc.array(fc.nat(), { minLength: 1, maxLength: 40 })
  }),
  fc.record({
    kind: fc.constant('rename' as const),
    index: fc.nat(),
    name: fc.constantFrom(...HOSTILE)
  }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 512 }) }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 })
  })
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(m: Mutation): Uint8Array {
  const bytes = original.slice();
  switch (m.kind) {
    case 'flip':
      for (const bit of m.bits) bytes[(bit >> 3) % bytes.length]! ^= 1 << (bit & 7);
      return bytes;
    case 'truncate':
      return bytes.subarray(0, m.at % bytes.length);
    case 'shuffle': {
      const entries = entriesOf(original);
      for (let i = entries.length - 1; i > 0; i--) {
        const j = m.order[i % m.order.length]! % (i + 1);
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      }
      return rezip(entries);
    }
    case 'rename': {
      const entries = entriesOf(original);
      entries[m.index % entries.length]![0] = m.name;
      return rezip(entries);
    }
    case 'garbage':
      return m.bytes;
    case 'overwrite':
      bytes.set(m.bytes.subarray(0, bytes.length - (m.at % bytes.length)), m.at % bytes.length);
      return bytes;
  }
}

describe('archive fuzz', () => {
  it('1,200 mutated archives: no crash, no partial write, a clear error each time', async () => {
    const outcomes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const { outcome, error } = await importInto(mutate(m));
        const key = `${m.kind}:${outcome}${error ? `:${error.code}` : ''}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        if (m.kind === 'rename' || m.kind === 'truncate' || m.kind === 'garbage')
          expect(outcome).toBe('refused');
        if (m.kind === 'shuffle') expect(outcome).toBe('imported');
      }),
      { numRuns: 1200, seed: 20261124 }
    );
    // The mutations really exercise both paths and several distinct refusals.
    const codes = new Set(
      Object.keys(outcomes)
        .filter((k) => k.includes('refused'))
        .map((k) => k.split(':')[2])
    );
    expect(codes.size).toBeGreaterThanOrEqual(5);
    expect(Object.keys(outcomes).some((k) => k.endsWith(':imported'))).toBe(true);
  }, 600_000);

  it('the unmutated archive imports', async () => {
    expect((await importInto(original)).outcome).toBe('imported');
    expect(strFromU8(unzipSync(original)['manifest.json']!)).toContain('"formatVersion": 1');
  });
});
