import { describe, expect, it } from 'vitest';
import { newId, type CaptureId } from '$lib/db/ids';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Reads the time back out of an id's first 10 characters (base 32, Crockford). */
const timeOf = (id: string) =>
  [...id.slice(0, 10)].reduce((t, ch) => t * 32 + ALPHABET.indexOf(ch), 0);

describe('newId', () => {
  it('is 26 lower-case Crockford base-32 characters', () => {
    for (let i = 0; i < 100; i++) expect(newId()).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('encodes the creation time in its first 10 characters', () => {
    const now = Date.UTC(2026, 10, 24, 7, 9, 24, 512);
    expect(timeOf(newId(now))).toBe(now);
    expect(newId(0).slice(0, 10)).toBe('0000000000');
    expect(timeOf(newId(1))).toBe(1);
  });

  it('sorts by creation time as plain strings', () => {
    const times = [
      0,
      1,
      31,
      32,
      1023,
      1024,
      Date.UTC(2001, 0, 1),
      Date.UTC(2026, 10, 24),
      Date.UTC(2026, 10, 24) + 1,
      Date.UTC(2099, 11, 31)
    ];
    const ids = [...times].reverse().map((t) => newId<CaptureId>(t));
    const sorted = [...ids].sort();
    expect(sorted.map(timeOf)).toEqual(times);
  });

  it('sorts a later millisecond after every id of an earlier one', () => {
    const early = Array.from({ length: 200 }, () => newId(1_800_000_000_000));
    const late = Array.from({ length: 200 }, () => newId(1_800_000_000_001));
    const maxEarly = [...early].sort().at(-1)!;
    const minLate = [...late].sort()[0]!;
    expect(maxEarly < minLate).toBe(true);
  });

  it('never repeats, even within the same millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every character of the alphabet in its random part', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const ch of newId().slice(10)) seen.add(ch);
    expect([...seen].sort().join('')).toBe(ALPHABET);
  });
});
