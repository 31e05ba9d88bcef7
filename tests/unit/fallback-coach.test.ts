import { describe, expect, it } from 'vitest';
import { coachReply, keyTerms } from '$lib/agent/fallback-coach';

const PHOTOSYNTHESIS =
  'So photosynthesis is basically how plants turn light into sugar. The chlorophyll absorbs ' +
  'light, and the Calvin cycle uses that energy to fix carbon. Photosynthesis needs light and water.';

/** The words a reply puts in curly quotes. */
const quoted = (reply: string) => [...reply.matchAll(/“([^”]+)”/g)].map((m) => m[1]);

describe('keyTerms', () => {
  it('ranks content words by frequency, then length, then first appearance', () => {
    // light ×3, photosynthesis ×2, then single words: chlorophyll (11) is the longest.
    expect(keyTerms(PHOTOSYNTHESIS)).toEqual(['light', 'photosynthesis', 'chlorophyll']);
  });

  it('breaks ties of frequency and length by first appearance', () => {
    expect(keyTerms('zebra apple mango', 3)).toEqual(['zebra', 'apple', 'mango']);
  });

  it('never picks stopwords, filler words, short words or numbers', () => {
    const text =
      'Um, so basically I think that really the thing is, like, actually about 2024 and 1961 ' +
      'and stuff, you know, what would they have been doing there';
    expect(keyTerms(text, 10)).toEqual([]);
  });

  it('picks the content words out of everyday speech', () => {
    const text =
      'I was wondering about how vaccines train the immune system, and why boosters help.';
    const terms = keyTerms(text, 10);
    expect(terms.sort()).toEqual([
      'boosters',
      'help',
      'immune',
      'system',
      'train',
      'vaccines',
      'wondering'
    ]);
  });

  it('counts words case-insensitively and drops possessives', () => {
    expect(keyTerms("Newton's laws. NEWTON described motion; newton again.", 1)).toEqual([
      'newton'
    ]);
  });

  it('returns at most `max` terms', () => {
    expect(keyTerms(PHOTOSYNTHESIS, 1)).toEqual(['light']);
    expect(keyTerms(PHOTOSYNTHESIS, 5)).toHaveLength(5);
    expect(keyTerms(PHOTOSYNTHESIS, 0)).toEqual([]);
  });

  it('handles empty and very short transcripts', () => {
    expect(keyTerms('')).toEqual([]);
    expect(keyTerms('Hi')).toEqual([]);
    expect(keyTerms('Mitochondria')).toEqual(['mitochondria']);
  });
});

describe('coachReply', () => {
  it('is deterministic for the same transcript', () => {
    expect(coachReply(PHOTOSYNTHESIS)).toBe(coachReply(PHOTOSYNTHESIS));
    expect(coachReply('Mitochondria')).toBe(coachReply('Mitochondria'));
  });

  it('quotes the two key terms of the transcript', () => {
    const reply = coachReply(PHOTOSYNTHESIS);
    expect(quoted(reply).sort()).toEqual(['light', 'photosynthesis']);
  });

  it('quotes the single key term of a one-topic transcript', () => {
    expect(quoted(coachReply('Mitochondria'))).toEqual(['mitochondria']);
    expect(quoted(coachReply('So what about entropy, you know?'))).toEqual(['entropy']);
  });

  it('only quotes words the person actually said', () => {
    const transcripts = [
      PHOTOSYNTHESIS,
      'The French Revolution started in 1789 because of debt, bread prices and Enlightenment ideas.',
      'Recursion means a function calls itself until it reaches a base case.',
      'Plate tectonics explains earthquakes and mountain ranges.'
    ];
    for (const transcript of transcripts) {
      const words = quoted(coachReply(transcript));
      expect(words.length).toBeGreaterThan(0);
      for (const word of words) expect(transcript.toLowerCase()).toContain(word);
    }
  });

  it('always asks a question', () => {
    for (const transcript of [
      '',
      ' ',
      'Hi',
      'um yeah so',
      'Mitochondria',
      PHOTOSYNTHESIS,
      '日本語'
    ]) {
      const reply = coachReply(transcript);
      expect(reply.trim().length).toBeGreaterThan(10);
      expect(reply.endsWith('?')).toBe(true);
    }
  });

  it('asks a general question, with no quotes, when there is nothing to quote', () => {
    for (const transcript of ['', 'Hi', 'um yeah so', 'I think the thing is really about stuff']) {
      const reply = coachReply(transcript);
      expect(quoted(reply)).toEqual([]);
      expect(reply).not.toMatch(/undefined|null|“”/);
    }
  });

  it('varies its question across transcripts', () => {
    const replies = new Set(
      [
        'energy',
        'gravity',
        'entropy',
        'osmosis',
        'inflation',
        'democracy',
        'algebra',
        'poetry'
      ].map((topic) => coachReply(`Tell me about ${topic}`).replace(/“[^”]+”/g, '“…”'))
    );
    expect(replies.size).toBeGreaterThan(1);
  });
});
