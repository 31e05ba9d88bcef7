/**
 * Transcribes stored or imported audio the way live speech is transcribed: the voice detector
 * finds the utterances (silence never reaches Whisper), each is decoded, long ones in overlapping
 * windows stitched together. Without a usable local model or detector, the whole audio goes to
 * wherever the transcriber routes it (the server fallback, or the queue).
 */
import { LiveTranscriber } from '../asr/live-transcriber';
import type { Transcript } from '../asr/types';
import { vadClient } from '../vad/vad-client';
import { settingsManager } from './settings-manager.svelte';
import { transcriberManager } from './transcriber-manager.svelte';

/** Transcribes 16 kHz samples; `onProgress` gets 0..1. */
export async function transcribeSamples(
  samples: Float32Array,
  onProgress?: (fraction: number) => void
): Promise<Transcript> {
  if (transcriberManager.engine === 'local') {
    await transcriberManager.ensureLoaded().catch(() => undefined);
  }
  const engine = transcriberManager.liveEngine();
  let probabilities: Float32Array | null = null;
  if (engine) {
    try {
      await vadClient.load();
      probabilities = await vadClient.trace(samples, (f) => onProgress?.(f * 0.1));
    } catch {
      probabilities = null;
    }
  }
  if (!engine || !probabilities) {
    const transcript = await transcriberManager.transcribe(samples);
    onProgress?.(1);
    return transcript;
  }
  const seconds = samples.length / 16_000;
  const live = new LiveTranscriber(
    engine,
    {
      onFinals: (finals) =>
        onProgress?.(0.1 + 0.9 * Math.min(1, (finals.at(-1)?.end ?? 0) / seconds))
    },
    { partialEveryMs: 0, speculative: false }
  );
  live.pushAudio(samples);
  live.pushProbabilities(probabilities);
  await live.finish();
  onProgress?.(1);
  return live.transcript(
    settingsManager.language,
    transcriberManager.modelId ?? settingsManager.asrModelId
  );
}
