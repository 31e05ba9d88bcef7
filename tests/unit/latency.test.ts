import { describe, expect, it } from 'vitest';
import { latencyStages } from '$lib/agent/latency';

describe('latencyStages', () => {
  it('turns cumulative marks into stage durations, voice stages first', () => {
    const stages = latencyStages({
      endOfTurnWaitMs: 600,
      transcriptMs: 350,
      contextMs: 20,
      responseMs: 120,
      firstTokenMs: 720,
      firstAudioMs: 900,
      totalMs: 2000
    });
    expect(stages.map((s) => [s.key, s.ms])).toEqual([
      ['endOfTurn', 600],
      ['transcript', 350],
      ['context', 20],
      ['request', 100],
      ['firstToken', 600],
      ['firstAudio', 180]
    ]);
  });

  it('counts the first token from the draft with self-critique, and skips missing stages', () => {
    const stages = latencyStages({
      contextMs: 10,
      responseMs: 60,
      draftMs: 900,
      firstTokenMs: 1400
    });
    expect(stages.map((s) => [s.key, s.ms])).toEqual([
      ['context', 10],
      ['request', 50],
      ['draft', 840],
      ['firstToken', 500]
    ]);
    expect(latencyStages({})).toEqual([]);
  });
});
