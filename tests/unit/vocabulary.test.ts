import { describe, expect, it } from 'vitest';
import { editDistance, maxTypos, Vocabulary } from '$lib/search/vocabulary';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit', () => {
    expect(editDistance('photosynthesis', 'photosynthesis')).toBe(0);
    expect(editDistance('photosinthesis', 'photosynthesis')).toBe(1);
    expect(editDistance('mitochondira', 'mitochondria')).toBe(1);
    expect(editDistance('cell', 'cells')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('stops early beyond the bound', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
    expect(editDistance('short', 'muchlongerword', 2)).toBe(3);
  });
});

describe('Vocabulary', () => {
  it('lists words by prefix, most common first, and forgets words no document has', () => {
    const v = new Vocabulary();
    v.add('photon', 'photon');
    v.add('photosynthesis', 'photosynthesi');
    v.add('photosynthesis', 'photosynthesi');
    expect(v.withPrefix('phot', 10).map((m) => m.word)).toEqual(['photosynthesis', 'photon']);
    v.remove('photon');
    expect(v.withPrefix('phot', 10).map((m) => m.word)).toEqual(['photosynthesis']);
    v.add('photon', 'photon');
    expect(
      v
        .withPrefix('phot', 10)
        .map((m) => m.word)
        .sort()
    ).toEqual(['photon', 'photosynthesis']);
  });

  it('stays correct past the unsorted tail limit', () => {
    const v = new Vocabulary();
    for (let i = 0; i < 5000; i++) v.add(`w${String(i).padStart(4, '0')}`, `t${i}`);
    expect(v.size).toBe(5000);
    expect(v.withPrefix('w499', 100)).toHaveLength(10);
    expect(v.termOf('w0042')).toBe('t42');
  });

  it('suggests close spellings for words of four letters or more', () => {
    const v = new Vocabulary();
    for (const w of ['mitochondria', 'mitosis', 'chlorophyll', 'cell']) v.add(w, w);
    expect(v.similar('mitochondira', 5).map((m) => m.word)).toEqual(['mitochondria']);
    expect(v.similar('imtosis', 5).map((m) => m.word)).toEqual(['mitosis']);
    expect(v.similar('cel', 5)).toEqual([]);
    expect(maxTypos('cell')).toBe(1);
    expect(maxTypos('mitochondria')).toBe(2);
  });
});
