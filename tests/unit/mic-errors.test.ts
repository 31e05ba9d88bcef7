import { describe, expect, it } from 'vitest';
import { MicError, micError, toMicError, type MicErrorCode } from '$lib/audio/mic-errors';

const ALL_CODES: MicErrorCode[] = [
  'mic_denied',
  'mic_not_found',
  'mic_busy',
  'mic_unsupported',
  'mic_disconnected',
  'mic_failed'
];

describe('toMicError', () => {
  it.each([
    ['NotAllowedError', 'mic_denied'],
    ['SecurityError', 'mic_denied'],
    ['PermissionDeniedError', 'mic_denied'],
    ['NotFoundError', 'mic_not_found'],
    ['OverconstrainedError', 'mic_not_found'],
    ['DevicesNotFoundError', 'mic_not_found'],
    ['NotReadableError', 'mic_busy'],
    ['TrackStartError', 'mic_busy'],
    ['AbortError', 'mic_busy'],
    ['InvalidStateError', 'mic_failed'],
    ['UnknownError', 'mic_failed']
  ] as const)('maps a DOMException named %s to %s', (name, code) => {
    const mapped = toMicError(new DOMException('browser text', name));
    expect(mapped).toBeInstanceOf(MicError);
    expect(mapped.code).toBe(code);
  });

  it('maps a TypeError (no mediaDevices, insecure context) to mic_unsupported', () => {
    expect(
      toMicError(new TypeError("Cannot read properties of undefined (reading 'getUserMedia')")).code
    ).toBe('mic_unsupported');
  });

  it('maps a plain Error whose name was set like a DOMException', () => {
    const err = new Error('denied');
    err.name = 'NotAllowedError';
    expect(toMicError(err).code).toBe('mic_denied');
  });

  it('maps anything else to mic_failed', () => {
    expect(toMicError(new Error('boom')).code).toBe('mic_failed');
    expect(toMicError('NotAllowedError').code).toBe('mic_failed');
    expect(toMicError(undefined).code).toBe('mic_failed');
    expect(toMicError(null).code).toBe('mic_failed');
  });

  it('passes a MicError through unchanged', () => {
    const original = micError('mic_disconnected');
    expect(toMicError(original)).toBe(original);
  });

  it('shows its own message, not the browser text', () => {
    const mapped = toMicError(new DOMException('Permission denied by system', 'NotAllowedError'));
    expect(mapped.message).not.toContain('Permission denied by system');
    expect(mapped.message).toBe(micError('mic_denied').message);
  });
});

describe('micError messages', () => {
  it.each(ALL_CODES)('%s has a sentence of plain words', (code) => {
    const err = micError(code);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('MicError');
    expect(err.code).toBe(code);
    const words = err.message.split(/\s+/).filter((w) => /[a-z]{2,}/i.test(w));
    expect(words.length).toBeGreaterThanOrEqual(3);
    expect(err.message).toMatch(/^[A-Z]/);
    expect(err.message).toMatch(/[.!]$/);
    // No error codes or programmer jargon leak into the text.
    expect(err.message).not.toMatch(/_|Error|undefined|null|DOMException/);
  });

  it('gives every code a different message', () => {
    const messages = new Set(ALL_CODES.map((code) => micError(code).message));
    expect(messages.size).toBe(ALL_CODES.length);
  });
});
