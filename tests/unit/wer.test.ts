import { describe, expect, it } from 'vitest';
import { normalizeForWer, passageCheck, pooledWer, spellNumber, wordErrorRate } from '$lib/asr/wer';

describe('normalizeForWer', () => {
  it('lower-cases, strips punctuation and maps hyphens to spaces', () => {
    expect(normalizeForWer('And so, my fellow Americans: ask not!')).toBe(
      'and so my fellow americans ask not'
    );
    expect(normalizeForWer('cold-hearted')).toBe('cold hearted');
  });
  it('drops bracketed markup and fillers on both sides', () => {
    expect(normalizeForWer('so [adif] uh the <VOCNOISE> um thing (laughs)')).toBe('so the thing');
  });
  it('spells out numbers the way the references do', () => {
    expect(normalizeForWer('In 1455, 3 of 21 presses')).toBe(
      'in fourteen fifty five three of twenty one presses'
    );
    expect(normalizeForWer('2,500 people, 100%')).toBe(
      'two thousand five hundred people one hundred percent'
    );
  });
  it('unifies abbreviations and British spellings', () => {
    expect(normalizeForWer('Mr. Dashwood dishonoured the colour')).toBe(
      'mister dashwood dishonored the color'
    );
  });
  it('keeps apostrophes inside words but not quotes around them', () => {
    expect(normalizeForWer("'don't' say 'yes'")).toBe("don't say yes");
  });
});

describe('spellNumber', () => {
  it('reads cardinals and years', () => {
    expect(spellNumber(0)).toBe('zero');
    expect(spellNumber(115)).toBe('one hundred fifteen');
    expect(spellNumber(1905)).toBe('nineteen oh five');
    expect(spellNumber(2024)).toBe('two thousand twenty four');
    expect(spellNumber(1_000_001)).toBe('one million one');
  });
});

describe('wordErrorRate', () => {
  it('counts substitutions, deletions and insertions after normalising', () => {
    const r = wordErrorRate(
      'He was not an ill disposed young man',
      'He was not an old sparse young man.'
    );
    expect(r).toMatchObject({ substitutions: 2, deletions: 0, insertions: 0, words: 8 });
    expect(r.wer).toBeCloseTo(2 / 8, 10);
    expect(wordErrorRate('a b c d', 'a c d')).toMatchObject({ deletions: 1, substitutions: 0 });
    expect(wordErrorRate('a b c', 'a x b c d')).toMatchObject({ insertions: 2, substitutions: 0 });
    expect(wordErrorRate('Mr. Smith, 1455.', 'mister smith fourteen fifty-five').wer).toBe(0);
  });
  it('pools over utterances by total reference words', () => {
    const a = wordErrorRate('one two three four', 'one two three four');
    const b = wordErrorRate('five six', 'five seven');
    expect(pooledWer([a, b])).toBeCloseTo(1 / 6, 10);
  });
});

describe('passageCheck', () => {
  it('finds a dropped passage and a duplicated one', () => {
    const ref = 'one two three four five six seven eight nine ten eleven twelve';
    expect(passageCheck(ref, ref)).toEqual({
      longestDeletionRun: 0,
      longestInsertionRun: 0,
      duplicatedNgrams: []
    });
    expect(passageCheck(ref, 'one two three eight nine ten eleven twelve').longestDeletionRun).toBe(
      4
    );
    const dup = passageCheck(
      ref,
      'one two three four five six three four five six seven eight nine ten eleven twelve'
    );
    expect(dup.longestInsertionRun).toBe(4);
    expect(dup.duplicatedNgrams).toContain('three four five six');
  });
});
