import { describe, expect, it } from 'vitest';
import {
  collapseRepetitions,
  guardSegmentText,
  isSilenceHallucination
} from '$lib/asr/hallucination';

describe('collapseRepetitions', () => {
  it('collapses a phrase looping more than twice', () => {
    expect(
      collapseRepetitions('I think so. I think so. I think so. I think so. Then we left.')
    ).toBe('I think so. Then we left.');
    expect(collapseRepetitions('the the the the the end')).toBe('the end');
  });

  it('keeps natural repetition of up to two', () => {
    expect(collapseRepetitions('very very good, that that is')).toBe(
      'very very good, that that is'
    );
    expect(collapseRepetitions('no, no, I said so')).toBe('no, no, I said so');
  });

  it('shortens runs of one repeated letter', () => {
    expect(collapseRepetitions('hahahaha soooooooooooooo good')).toBe('hahahaha sooo good');
  });
});

describe('isSilenceHallucination', () => {
  it('recognises the stock phrases whatever their punctuation and case', () => {
    for (const t of [
      'Thank you.',
      ' thanks for watching!',
      'Thank you for watching.',
      '♪',
      '...',
      'you'
    ])
      expect(isSilenceHallucination(t), t).toBe(true);
  });
  it('does not flag real sentences that contain them', () => {
    expect(isSilenceHallucination('Thank you for explaining photosynthesis.')).toBe(false);
  });
});

describe('guardSegmentText', () => {
  it('drops a stock phrase when the VAD heard little speech', () => {
    expect(guardSegmentText('Thank you.', { ratio: 0.2, seconds: 0.3 })).toBe('');
    expect(guardSegmentText('Thanks for watching!', { ratio: 0.3, seconds: 2 })).toBe('');
  });
  it('keeps it when the VAD heard clear speech of a plausible length', () => {
    expect(guardSegmentText('Thank you.', { ratio: 0.9, seconds: 0.8 })).toBe('Thank you.');
  });
  it('always keeps real text, with loops collapsed', () => {
    expect(guardSegmentText('go on go on go on go on now', { ratio: 0.1, seconds: 0.2 })).toBe(
      'go on now'
    );
  });
});
