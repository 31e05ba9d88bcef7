import { describe, expect, it } from 'vitest';
import { BargeInDetector, type BargeInAction } from '$lib/agent/barge-in';

const FRAME = 32; // ms per Silero frame at 16 kHz
/** Replays a trace of [probability, frames] and returns the actions that were not 'none'. */
function replay(detector: BargeInDetector, trace: [number, number][]): BargeInAction[] {
  const actions: BargeInAction[] = [];
  for (const [p, frames] of trace)
    for (let i = 0; i < frames; i++) {
      const action = detector.frame(p, FRAME);
      if (action !== 'none') actions.push(action);
    }
  return actions;
}

describe('BargeInDetector', () => {
  it('pauses at the first speech frame and cancels once speech reaches 600 ms', () => {
    const d = new BargeInDetector();
    expect(d.frame(0.9, FRAME)).toBe('pause');
    // 18 frames = 576 ms: not yet; the 19th (608 ms) cancels.
    expect(replay(d, [[0.9, 17]])).toEqual([]);
    expect(d.frame(0.9, FRAME)).toBe('cancel');
    expect(d.cancelled).toBe(true);
    expect(replay(d, [[0.9, 30]])).toEqual([]);
  });

  it('resumes after a short backchannel ("mm-hm", 300 ms) and never cancels', () => {
    const d = new BargeInDetector();
    expect(
      replay(d, [
        [0.1, 20],
        [0.8, 10],
        [0.1, 20]
      ])
    ).toEqual(['pause', 'resume']);
    expect(d.cancelled).toBe(false);
  });

  it('counts speech across a tiny gap as one utterance', () => {
    const d = new BargeInDetector();
    // 400 ms speech, 100 ms gap (under the 250 ms resume), 300 ms speech: 700 ms > 600 ms.
    expect(
      replay(d, [
        [0.9, 13],
        [0.1, 3],
        [0.9, 10]
      ])
    ).toEqual(['pause', 'cancel']);
  });

  it('ignores silence and starts over after reset', () => {
    const d = new BargeInDetector();
    expect(replay(d, [[0.2, 100]])).toEqual([]);
    replay(d, [[0.9, 30]]);
    expect(d.cancelled).toBe(true);
    d.reset();
    expect(d.cancelled).toBe(false);
    expect(d.frame(0.9, FRAME)).toBe('pause');
  });
});
