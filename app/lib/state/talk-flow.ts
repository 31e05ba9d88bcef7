/**
 * The voice loop of a conversation: the microphone stays open hands-free; each utterance the voice
 * detector ends (silence plus its grace period) is saved as a capture first, then becomes the
 * person's turn. While a reply is spoken, the detector's frames drive barge-in.
 */
import { DEFAULT_SEGMENTER, VAD_FRAME, VAD_RATE } from '../vad/segmenter';
import { capturesManager } from './captures-manager.svelte';
import { conversationManager } from './conversation-manager.svelte';
import { recorderManager, type Utterance } from './recorder-manager.svelte';
import { speechManager } from './speech-manager.svelte';
import { transcriberManager } from './transcriber-manager.svelte';

const FRAME_MS = (VAD_FRAME / VAD_RATE) * 1000;

/** Opens the microphone for a spoken conversation; false when it cannot be used. */
export async function startTalking(): Promise<boolean> {
  // Live text needs the speech model; loading it first keeps every turn's transcript live.
  await transcriberManager.ensureLoaded().catch(() => undefined);
  return recorderManager.start({
    mode: 'hands-free',
    onUtterance: (utterance) => void takeTurn(utterance),
    onProbabilities: (probabilities) => {
      for (let i = 0; i < probabilities.length; i++)
        speechManager.heard(probabilities[i]!, FRAME_MS);
    },
    onInterrupted: (recording) => void capturesManager.closeRecording(recording.recordingId)
  });
}

/** Closes the microphone; the last utterance still becomes a turn. */
export async function stopTalking(): Promise<void> {
  const recording = await recorderManager.stop();
  if (!recording) return;
  await recording.transcript;
  await capturesManager.closeRecording(recording.recordingId);
}

async function takeTurn(utterance: Utterance): Promise<void> {
  // Audio arrives in real time, so the audio heard past the speech is the time since it ended.
  const sinceEndMs =
    ((utterance.heardSamples - utterance.final.speech.speechEnd) / VAD_RATE) * 1000;
  const speechEndedAt = performance.now() - sinceEndMs;
  const endOfTurnWaitMs = DEFAULT_SEGMENTER.redemptionMs;
  const captureId = await capturesManager.saveUtterance(utterance);
  if (!utterance.transcribed || !utterance.final.text.trim()) return;
  await conversationManager.send(utterance.final.text, {
    captureId,
    speechEndedAt,
    timings: {
      endOfTurnWaitMs,
      transcriptMs: Math.max(0, Math.round(sinceEndMs - endOfTurnWaitMs))
    }
  });
}
