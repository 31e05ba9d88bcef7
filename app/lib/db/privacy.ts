/**
 * Private captures are searchable on this device and never leave it. Anything that sends capture
 * content off the device (the partner's context, exports to a server, sync) must pass it through
 * these functions; they are the one place the rule lives.
 */

/** The part of a capture the rule looks at. */
export interface PrivacyMarked {
  private: boolean;
}

/** A capture may leave the device. */
export function isShareable(capture: PrivacyMarked): boolean {
  return capture.private !== true;
}

/** Only the captures that may leave the device, in their order. */
export function shareableOnly<T extends PrivacyMarked>(captures: readonly T[]): T[] {
  return captures.filter(isShareable);
}

/** Thrown when code tries to send a private capture off the device. */
export class PrivateCaptureError extends Error {
  override name = 'PrivateCaptureError';
  readonly code = 'capture_private' as const;
  constructor() {
    super('This capture is private: it stays on this device and is never sent to the partner.');
  }
}

/** Throws {@link PrivateCaptureError} for a private capture; use right before anything is sent. */
export function assertShareable(capture: PrivacyMarked): void {
  if (!isShareable(capture)) throw new PrivateCaptureError();
}
