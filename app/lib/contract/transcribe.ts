/**
 * The `/api/transcribe` contract: a multipart form with the audio `file` and optional fields,
 * forwarded by the worker to an OpenAI-compatible `/v1/audio/transcriptions`; the answer is
 * normalised to {@link TranscribeResponse} whatever the upstream's response format.
 */
import * as v from 'valibot';

/** Largest accepted audio upload (the OpenAI API's own limit). */
export const TRANSCRIBE_MAX_BYTES = 25 * 1024 * 1024;

/** Audio types accepted for upload. */
export const TRANSCRIBE_AUDIO_TYPES = [
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/mpeg',
  'audio/mp3',
  'audio/mp4',
  'audio/m4a',
  'audio/x-m4a',
  'audio/ogg',
  'audio/opus',
  'audio/webm',
  'audio/flac'
] as const;

/** The form fields besides `file`. */
export const TranscribeFieldsSchema = v.strictObject({
  /** ISO-639-1 language code, e.g. 'en'. */
  language: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z]{2,3}$/, 'Use a language code like "en".'))
  ),
  /** Custom vocabulary / context, passed as the transcription prompt. */
  prompt: v.optional(v.pipe(v.string(), v.maxLength(1000)))
});

/** The form fields of a transcription request, validated. */
export type TranscribeFields = v.InferOutput<typeof TranscribeFieldsSchema>;

/** One timed stretch of a transcript, in seconds. */
export interface TranscribeSegment {
  start: number;
  end: number;
  text: string;
}

/** The worker's normalised transcription answer. */
export interface TranscribeResponse {
  text: string;
  /** Timed stretches; one spanning the clip when the upstream gave none, empty when unknown. */
  segments: TranscribeSegment[];
  /** ISO 639 code ('en'; Whisper's language names are mapped), or 'und' when unknown. */
  language: string;
  /** Length of the audio; 0 when neither the upstream nor the file header says. */
  durationMs: number;
}
