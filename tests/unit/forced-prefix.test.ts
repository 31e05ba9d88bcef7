import { describe, expect, it } from 'vitest';
import {
  agreedPrefix,
  joinTokens,
  shiftTokens,
  timestampSeconds,
  timestampToken,
  wellFormed
} from '$lib/asr/forced-prefix';

const ts = timestampToken;

describe('forced prefix tokens', () => {
  it('encodes timestamps as negative 20 ms steps and back', () => {
    expect(ts(0)).toBe(-1);
    expect(ts(1.24)).toBe(-63);
    expect(timestampSeconds(ts(5.22))).toBeCloseTo(5.22, 6);
  });

  it('keeps what two partials agree on, minus the last agreed token', () => {
    const previous = [ts(0), 10, 11, 12, 13];
    const latest = [ts(0), 10, 11, 12, 99, 100];
    // 10 11 12 agree; 12 is held back (it may be the start of a longer word).
    expect(agreedPrefix(previous, latest)).toEqual([ts(0), 10, 11]);
    expect(agreedPrefix(previous, latest, 0)).toEqual([ts(0), 10, 11, 12]);
  });

  it('compares text only, and takes the latest partial’s timestamps', () => {
    const previous = [ts(0), 10, 11, ts(2), ts(2), 12, 13];
    const latest = [ts(0), 10, 11, ts(2.1), ts(2.1), 12, 13, 14];
    expect(agreedPrefix(previous, latest)).toEqual([ts(0), 10, 11, ts(2.1), ts(2.1), 12]);
  });

  it('agrees on nothing when the first words differ', () => {
    expect(agreedPrefix([ts(0), 10, 11], [ts(0), 20, 11])).toEqual([]);
    expect(agreedPrefix([], [ts(0), 20])).toEqual([]);
  });

  it('shifts timestamps and refuses to pass the 30 s window', () => {
    expect(shiftTokens([ts(0), 10, ts(1)], 2.5)).toEqual([ts(2.5), 10, ts(3.5)]);
    expect(shiftTokens([ts(0), 10, ts(1)], 29.5)).toBeNull();
  });

  it('joins decoded tokens only where segments pair up', () => {
    expect(joinTokens([ts(0), 10, ts(2)], [ts(3), 11])).toEqual([ts(0), 10, ts(2), ts(3), 11]);
    // The earlier part ends inside a segment, or the later one goes back in time.
    expect(joinTokens([ts(0), 10], [ts(3), 11])).toBeNull();
    expect(joinTokens([ts(0), 10, ts(4)], [ts(3), 11, ts(3.5)])).toBeNull();
    // Opening inside the earlier piece's last segment: moved to where that one closed.
    expect(joinTokens([ts(0), 10, ts(4)], [ts(3.8), 11, ts(5)])).toEqual([
      ts(0),
      10,
      ts(4),
      ts(4),
      11,
      ts(5)
    ]);
    expect(joinTokens([], [ts(3), 11])).toEqual([ts(3), 11]);
  });

  it('checks that a prefix opens with a timestamp and never goes back in time', () => {
    expect(wellFormed([ts(0), 10, ts(1), ts(1), 11])).toBe(true);
    expect(wellFormed([10, ts(1)])).toBe(false);
    expect(wellFormed([ts(2), 10, ts(1)])).toBe(false);
    expect(wellFormed([])).toBe(true);
  });
});
