import type { TranscribeResponse, TranscribeSegment } from '$contract';
import { languageCode } from './languages';

interface UpstreamSegment {
  start?: unknown;
  end?: unknown;
  text?: unknown;
}

interface UpstreamTranscription {
  text?: unknown;
  language?: unknown;
  duration?: unknown;
  segments?: unknown;
  usage?: { type?: unknown; seconds?: unknown };
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

/**
 * Normalises an OpenAI-compatible transcription answer (`verbose_json` with segments, language
 * and duration, or plain `json` with only text) to {@link TranscribeResponse}. What the upstream
 * leaves out is filled from what the worker knows: the requested language, the WAV header's
 * duration, one segment spanning the clip.
 */
export function normaliseTranscription(
  raw: unknown,
  known: { language?: string; durationMs: number | null }
): TranscribeResponse {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as UpstreamTranscription;
  const text = typeof body.text === 'string' ? body.text.trim() : '';
  const durationSeconds =
    num(body.duration) ??
    (body.usage?.type === 'duration' ? num(body.usage.seconds) : null) ??
    (known.durationMs !== null ? known.durationMs / 1000 : null);
  const segments: TranscribeSegment[] = Array.isArray(body.segments)
    ? (body.segments as UpstreamSegment[])
        .map((s) => ({
          start: num(s.start) ?? 0,
          end: num(s.end) ?? 0,
          text: typeof s.text === 'string' ? s.text.trim() : ''
        }))
        .filter((s) => s.text)
    : text && durationSeconds !== null
      ? [{ start: 0, end: durationSeconds, text }]
      : [];
  return {
    text,
    segments,
    language: languageCode(body.language ?? known.language),
    durationMs: durationSeconds !== null ? Math.round(durationSeconds * 1000) : 0
  };
}
