/** Stable codes for microphone failures, each with words a person understands. */
export type MicErrorCode =
  | 'mic_denied'
  | 'mic_not_found'
  | 'mic_busy'
  | 'mic_unsupported'
  | 'mic_disconnected'
  | 'mic_failed';

/** A microphone failure the UI can show as is. */
export class MicError extends Error {
  override name = 'MicError';
  constructor(
    readonly code: MicErrorCode,
    message: string
  ) {
    super(message);
  }
}

const MESSAGES: Record<MicErrorCode, string> = {
  mic_denied:
    'Microphone access was denied. Allow the microphone for this site in your browser settings, then try again.',
  mic_not_found: 'No microphone was found. Connect one or check your system sound settings.',
  mic_busy: 'The microphone could not be started; another app may be using it.',
  mic_unsupported:
    'This browser cannot record here. Use a current browser, and open the app over https or on localhost.',
  mic_disconnected: 'The microphone was disconnected. What was recorded so far has been kept.',
  mic_failed: 'Recording failed unexpectedly.'
};

/** Builds a {@link MicError} for a code. */
export function micError(code: MicErrorCode): MicError {
  return new MicError(code, MESSAGES[code]);
}

/** Maps a getUserMedia/AudioContext failure to a {@link MicError}. */
export function toMicError(err: unknown): MicError {
  if (err instanceof MicError) return err;
  const name =
    err instanceof Error || (typeof DOMException !== 'undefined' && err instanceof DOMException)
      ? err.name
      : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return micError('mic_denied');
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return micError('mic_not_found');
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return micError('mic_busy');
    case 'TypeError':
      return micError('mic_unsupported');
    default:
      return micError('mic_failed');
  }
}
