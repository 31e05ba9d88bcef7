import type { LiveTranscriber } from '$lib/asr/live-transcriber';
import { VAD_FRAME } from '$lib/vad/segmenter';

/**
 * Feeds audio parts to a live transcriber as a microphone would: 100 ms chunks, each followed by
 * the VAD probabilities of the frames it completed (speech wherever a frame opens on a non-zero
 * sample) and a turn of the event loop, so pending decodes answer between chunks as they do
 * between real audio callbacks (`tick`: what to wait for between chunks).
 */
export async function feedLive(
  live: LiveTranscriber,
  parts: Float32Array[],
  tick: () => Promise<unknown> = () => new Promise((r) => setTimeout(r, 0))
): Promise<void> {
  let seen = 0;
  for (const part of parts) {
    for (let at = 0; at < part.length; at += 1600) {
      live.pushAudio(part.subarray(at, at + 1600));
      const frames = Math.floor(live.audio.length / VAD_FRAME) - seen;
      const probs = Array.from({ length: frames }, (_, f) =>
        live.audio.slice((seen + f) * VAD_FRAME, (seen + f) * VAD_FRAME + 1)[0]! > 0 ? 0.95 : 0.02
      );
      seen += frames;
      live.pushProbabilities(probs);
      await tick();
    }
  }
}
