/** Transcribes 16 kHz samples on the server and returns the app's own transcript shape. */
import { encodeWav } from '../audio/wav';
import { languageCode } from '../asr/languages';
import type { Transcript } from '../asr/types';
import { transcribeRemote, type ApiOptions } from './transcribe-client';

/** Model id recorded on captures transcribed by the server. */
export const SERVER_MODEL_ID = 'server (OpenAI-compatible)';

/** Sends the audio as a 16-bit WAV (what every OpenAI-compatible endpoint accepts). */
export async function transcribeOnServer(
  samples: Float32Array,
  options: { language: string; prompt: string } & ApiOptions
): Promise<Transcript> {
  const wav = new Blob([encodeWav(samples, 16_000)], { type: 'audio/wav' });
  const result = await transcribeRemote(
    wav,
    {
      language: languageCode(options.language),
      prompt: options.prompt || undefined,
      filename: 'recording.wav'
    },
    options
  );
  const text = result.text.trim();
  const segments = result.segments
    .map((s) => ({ start: s.start, end: s.end, text: s.text.trim() }))
    .filter((s) => s.text !== '');
  return {
    text,
    segments:
      segments.length || !text ? segments : [{ start: 0, end: samples.length / 16_000, text }],
    language: options.language,
    modelId: SERVER_MODEL_ID
  };
}
