/** Random-access reading of an archive file: only the bytes asked for are ever in memory. */

/** Bytes that can be read at any offset (a File/Blob in the browser, a file on disk in Node). */
export interface ArchiveSource {
  readonly size: number;
  /** Reads `length` bytes at `offset` (fewer only at the end of the source). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A Blob (or File) as an archive source; slices are read lazily from disk by the browser. */
export function blobSource(blob: Blob): ArchiveSource {
  return {
    size: blob.size,
    async read(offset, length) {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    }
  };
}

/** Bytes already in memory (tests, small archives). */
export function bytesSource(bytes: Uint8Array): ArchiveSource {
  return {
    size: bytes.byteLength,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length))
  };
}
