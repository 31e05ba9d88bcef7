/** Errors of the archive: plain words for a person plus a stable code for code and tests. */

/** Why an archive could not be read, written or imported. */
export type ArchiveErrorCode =
  | 'not_a_zip'
  | 'truncated'
  | 'corrupt_entry'
  | 'checksum_mismatch'
  | 'encrypted'
  | 'unsupported_compression'
  | 'unsafe_path'
  | 'zip_bomb'
  | 'too_large'
  | 'missing_entry'
  | 'unexpected_entry'
  | 'not_an_archive'
  | 'unsupported_version'
  | 'invalid_record'
  | 'broken_reference'
  | 'export_failed'
  | 'write_failed'
  | 'cancelled';

/** A failure with words a person understands; nothing was written when it is thrown by import. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }
}

/** Turns anything thrown into an ArchiveError, keeping one that already is. */
export function toArchiveError(err: unknown, code: ArchiveErrorCode, prefix: string): ArchiveError {
  if (err instanceof ArchiveError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new ArchiveError(code, `${prefix}: ${detail}`, { cause: err });
}
