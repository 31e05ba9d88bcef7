/**
 * Writes a zip as a stream through fflate: each entry's bytes go to the sink as they are produced
 * (entries are written one after another, never buffered whole), while their SHA-256 is computed
 * for the manifest. fflate writes classic (32-bit) zips: the archive must stay under 4 GiB and
 * 65,535 entries, which {@link ZipStreamWriter} checks as it goes.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { ArchiveError } from './errors';
import { Sha256, sha256HexAsync } from './hashing';

/** Where the archive's bytes go: a file on disk, a download, a test buffer. */
export interface ArchiveSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort?(reason: unknown): Promise<void>;
}

/** A finished entry: what the manifest lists. */
export interface WrittenEntry {
  path: string;
  bytes: number;
  sha256: string;
}

const MAX_ZIP32 = 0xffffffff - 64 * 1024 * 1024;
const MAX_ENTRIES = 65_000;

/** An open entry: push its bytes, then end it. */
export interface EntryWriter {
  push(chunk: Uint8Array): Promise<void>;
  end(): Promise<WrittenEntry>;
}

/** Streams entries into a zip and the zip into a sink. */
export class ZipStreamWriter {
  readonly #zip: Zip;
  readonly #sink: ArchiveSink;
  readonly #mtime: Date;
  #queue: Uint8Array[] = [];
  #error: Error | null = null;
  #written = 0;
  #entries = 0;
  #done = false;

  constructor(sink: ArchiveSink, mtime: Date) {
    this.#sink = sink;
    this.#mtime = mtime;
    this.#zip = new Zip((err, chunk, final) => {
      if (err) this.#error = err;
      else this.#queue.push(chunk);
      if (final) this.#done = true;
    });
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.#written;
  }

  /**
   * Opens an entry; `compress` deflates it (text), otherwise it is stored (audio). `knownSha256`
   * skips hashing while streaming when the caller already hashed the whole entry.
   */
  open(path: string, compress: boolean, knownSha256?: string): EntryWriter {
    if (++this.#entries > MAX_ENTRIES)
      throw new ArchiveError('export_failed', `An archive holds at most ${MAX_ENTRIES} files.`);
    const file = compress ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    file.mtime = this.#mtime;
    this.#zip.add(file);
    const hash = new Sha256();
    let bytes = 0;
    return {
      push: async (chunk) => {
        if (knownSha256) bytes += chunk.length;
        else hash.update(chunk);
        file.push(chunk, false);
        await this.flush();
      },
      end: async () => {
        file.push(new Uint8Array(0), true);
        await this.flush();
        return knownSha256
          ? { path, bytes, sha256: knownSha256 }
          : { path, bytes: hash.bytes, sha256: hash.hex() };
      }
    };
  }

  /** Writes a whole entry at once. */
  async add(path: string, data: Uint8Array, compress: boolean): Promise<WrittenEntry> {
    // Large entries (audio) are hashed natively in one go; small ones are not worth the round trip.
    const known = data.length > 64 * 1024 ? await sha256HexAsync(data) : undefined;
    const entry = this.open(path, compress, known);
    await entry.push(data);
    return entry.end();
  }

  /** Writes the central directory and closes the sink. */
  async finish(): Promise<void> {
    this.#zip.end();
    await this.flush();
    if (!this.#done) throw new ArchiveError('export_failed', 'The archive could not be finished.');
    await this.#sink.close();
  }

  /** Hands queued bytes to the sink, waiting for it (backpressure). */
  async flush(): Promise<void> {
    if (this.#error) throw new ArchiveError('export_failed', this.#error.message);
    while (this.#queue.length > 0) {
      const chunk = this.#queue.shift()!;
      this.#written += chunk.length;
      if (this.#written > MAX_ZIP32)
        throw new ArchiveError(
          'export_failed',
          'The library is too large for one archive (4 GB). Export without embeddings, or delete old recordings first.'
        );
      await this.#sink.write(chunk);
    }
  }
}
