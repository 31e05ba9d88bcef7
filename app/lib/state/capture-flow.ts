/**
 * Wires the microphone to the capture library: a recording (toggle or push-to-talk) becomes one
 * capture when it stops or when the device goes away; in hands-free mode every utterance the voice
 * detector cuts becomes its own capture while the microphone stays open.
 */
import { capturesManager } from './captures-manager.svelte';
import { recorderManager, type Recording } from './recorder-manager.svelte';
import { settingsManager } from './settings-manager.svelte';

const save = (recording: Recording) => {
  if (recording.samples.length > 0) void capturesManager.saveRecording(recording);
  else if (recording.recordingId) void capturesManager.discardRecording(recording.recordingId);
};

/** Starts recording in the mode chosen in settings. */
export async function startCapture(): Promise<boolean> {
  const mode = settingsManager.recordMode;
  return recorderManager.start({
    mode,
    onInterrupted: (recording) => void finish(recording),
    onUtterance: (utterance) => void capturesManager.saveUtterance(utterance)
  });
}

/** Stops recording and saves what was recorded. */
export async function stopCapture(): Promise<void> {
  const recording = await recorderManager.stop();
  if (recording) await recorderManager.track(finish(recording));
}

async function finish(recording: Recording): Promise<void> {
  // Without the voice detector, hands-free falls back to one capture for the whole recording.
  if (recorderManager.mode !== 'hands-free' || !recording.segmented) {
    save(recording);
    return;
  }
  // Hands-free: the last utterance is delivered when the live transcript finishes.
  await recording.transcript;
  await capturesManager.closeRecording(recording.recordingId);
}
