import { describe, expect, it } from 'vitest';
import { SentenceSplitter, speakable, splitSentences } from '$lib/agent/speech-splitter';

describe('splitSentences', () => {
  it('splits at . ! ? and keeps closing quotes with their sentence', () => {
    expect(splitSentences('Right. Why is that? Say "yes!" Then go…  Done')).toEqual([
      'Right.',
      'Why is that?',
      'Say "yes!"',
      'Then go…',
      'Done'
    ]);
  });

  it('does not split after abbreviations or initials', () => {
    expect(
      splitSentences(
        'Dr. Smith met J. S. Bach, e.g. in Leipzig, i.e. at home. Mr. Jones vs. Mrs. Lee won.'
      )
    ).toEqual([
      'Dr. Smith met J. S. Bach, e.g. in Leipzig, i.e. at home.',
      'Mr. Jones vs. Mrs. Lee won.'
    ]);
  });

  it('does not split inside decimals or numbered versions', () => {
    expect(splitSentences('Pi is about 3.14 and e is 2.718. Version 1.2.3 shipped.')).toEqual([
      'Pi is about 3.14 and e is 2.718.',
      'Version 1.2.3 shipped.'
    ]);
  });

  it('drops citation marks and markdown from speech', () => {
    expect(splitSentences('You said light matters [1]. And **sugar** [2, 3]!')).toEqual([
      'You said light matters.',
      'And sugar!'
    ]);
    expect(speakable('  a\n\n b  ')).toBe('a b');
  });
});

describe('SentenceSplitter streaming', () => {
  it('waits for the space after a full stop, so "3." + "14" stays one number', () => {
    const s = new SentenceSplitter();
    expect(s.push('It costs 3.')).toEqual([]);
    expect(s.push('14 euros')).toEqual([]);
    expect(s.push('. Is that')).toEqual(['It costs 3.14 euros.']);
    expect(s.push(' cheap?')).toEqual([]);
    expect(s.flush()).toBe('Is that cheap?');
    expect(s.flush()).toBe('');
  });

  it('gives the same sentences whatever the chunking', () => {
    const text =
      'Good point [1]. Dr. Lee said 2.5 g of sugar, e.g. glucose, is enough! Why do you think so? Tell me.';
    const whole = splitSentences(text);
    for (const size of [1, 2, 3, 5, 8, 13]) {
      const s = new SentenceSplitter();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
      const rest = s.flush();
      if (rest) out.push(rest);
      expect(out).toEqual(whole);
    }
    expect(whole).toHaveLength(4);
  });

  it('emits a sentence as soon as the next word starts', () => {
    const s = new SentenceSplitter();
    expect(s.push('First one.')).toEqual([]);
    expect(s.push(' ')).toEqual(['First one.']);
  });
});
