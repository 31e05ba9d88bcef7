import { describe, expect, it } from 'vitest';
import { tokenize } from '$lib/search/tokenize';

describe('tokenize', () => {
  it('lower-cases and splits on spaces and punctuation', () => {
    expect(tokenize('Hello, World! How are-you?')).toEqual(['hello', 'world', 'how', 'are', 'you']);
  });

  it('keeps digits and mixed words', () => {
    expect(tokenize('Chapter 12: COVID19 in 2020')).toEqual([
      'chapter',
      '12',
      'covid19',
      'in',
      '2020'
    ]);
  });

  it("keeps apostrophes inside words and drops a possessive 's", () => {
    expect(tokenize("Don't stop: Kennedy's speech, the dogs' bowls")).toEqual([
      "don't",
      'stop',
      'kennedy',
      'speech',
      'the',
      'dogs',
      'bowls'
    ]);
  });

  it('treats a typographic apostrophe like a straight one', () => {
    expect(tokenize('Don’t forget Newton’s laws')).toEqual(tokenize("Don't forget Newton's laws"));
    expect(tokenize('Don’t')).toEqual(["don't"]);
  });

  it('ignores quotes around words', () => {
    expect(tokenize("'quoted' words")).toEqual(['quoted', 'words']);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('  ...  —  !? ')).toEqual([]);
  });

  it('handles accented Latin, Greek and Cyrillic words', () => {
    expect(tokenize('Café naïve ÜBER')).toEqual(['café', 'naïve', 'über']);
    expect(tokenize('Γειά σου κόσμε')).toEqual(['γειά', 'σου', 'κόσμε']);
    expect(tokenize('Привет, мир')).toEqual(['привет', 'мир']);
  });

  it('treats composed and decomposed accents as the same word', () => {
    expect(tokenize('cafe\u0301')).toEqual(tokenize('caf\u00e9'));
  });

  it('folds compatibility forms (ligatures, full-width letters)', () => {
    expect(tokenize('ﬁnance ＡＢＣ')).toEqual(['finance', 'abc']);
  });

  it('keeps words of scripts with combining vowel signs whole (Devanagari, Thai)', () => {
    expect(tokenize('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']);
    expect(tokenize('हिन्दी')).toEqual(['हिन्दी']);
    expect(tokenize('สวัสดี ครับ')).toEqual(['สวัสดี', 'ครับ']);
  });
});
