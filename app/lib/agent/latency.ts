/**
 * The per-turn latency breakdown shown in the debug panel. A reply's timings are milliseconds
 * from the start of its answer (context search, response headers, first visible token, first
 * spoken audio, end), plus the voice stages measured before it (end-of-turn wait, final
 * transcript); this turns them into stage durations.
 */

/** One stage and how long it took. */
export interface LatencyStage {
  key: string;
  label: string;
  ms: number;
}

const STAGES: { key: string; label: string; from: string | null; to: string }[] = [
  { key: 'endOfTurn', label: 'End-of-turn wait (silence)', from: null, to: 'endOfTurnWaitMs' },
  { key: 'transcript', label: 'Final transcript', from: null, to: 'transcriptMs' },
  { key: 'context', label: 'Finding related notes', from: null, to: 'contextMs' },
  {
    key: 'request',
    label: 'Request to worker (response starts)',
    from: 'contextMs',
    to: 'responseMs'
  },
  { key: 'draft', label: 'Self-critique draft', from: 'responseMs', to: 'draftMs' },
  { key: 'firstToken', label: 'First token', from: 'draftMs|responseMs', to: 'firstTokenMs' },
  { key: 'firstAudio', label: 'First spoken audio', from: 'firstTokenMs', to: 'firstAudioMs' }
];

/** The stages present in a turn's timings, in order. */
export function latencyStages(timings: Readonly<Record<string, number>>): LatencyStage[] {
  const stages: LatencyStage[] = [];
  for (const stage of STAGES) {
    const end = timings[stage.to];
    if (end === undefined) continue;
    const fromKey = stage.from?.split('|').find((k) => timings[k] !== undefined);
    const start = fromKey ? timings[fromKey]! : 0;
    stages.push({ key: stage.key, label: stage.label, ms: Math.max(0, Math.round(end - start)) });
  }
  return stages;
}
