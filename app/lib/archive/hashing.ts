/** Incremental SHA-256 (entries are hashed while they stream) and CRC-32 for zip entries. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** A running SHA-256 over streamed bytes. */
export class Sha256 {
  readonly #hash = sha256.create();
  #bytes = 0;

  /** Feeds bytes. */
  update(chunk: Uint8Array): this {
    this.#hash.update(chunk);
    this.#bytes += chunk.byteLength;
    return this;
  }

  /** Bytes fed so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The lowercase hex digest (ends the hash). */
  hex(): string {
    return bytesToHex(this.#hash.digest());
  }
}

/** The SHA-256 of some bytes, as lowercase hex. */
export function sha256Hex(data: Uint8Array): string {
  return bytesToHex(sha256(data));
}

/**
 * The SHA-256 of a whole buffer, as lowercase hex: the platform's native digest where there is one
 * (several times faster than hashing in JavaScript), else the incremental one.
 */
export async function sha256HexAsync(data: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256Hex(data);
  const digest = new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return bytesToHex(digest);
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** A running CRC-32 (the zip flavour). */
export class Crc32 {
  #crc = -1;

  /** Feeds bytes. */
  update(chunk: Uint8Array): this {
    let c = this.#crc;
    for (let i = 0; i < chunk.length; i++) c = CRC_TABLE[(c ^ chunk[i]!) & 0xff]! ^ (c >>> 8);
    this.#crc = c;
    return this;
  }

  /** The CRC as an unsigned 32-bit number. */
  value(): number {
    return ~this.#crc >>> 0;
  }
}
