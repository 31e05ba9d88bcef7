/**
 * Reads a zip through its central directory, entry by entry, without ever holding the archive in
 * memory. It refuses what a safe importer must not trust: encrypted or oddly compressed entries,
 * names that could escape a folder, overlapping entries, sizes over the limits, zip-bomb ratios,
 * and any byte that does not match its CRC. Deflate is fflate's streaming Inflate.
 */
import { Inflate } from 'fflate';
import { ArchiveError } from './errors';
import { ENTRY_PATTERN, LIMITS } from './format';
import { Crc32 } from './hashing';
import type { ArchiveSource } from './source';

/** One entry as the central directory describes it. */
export interface ZipEntry {
  name: string;
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const READ_CHUNK = 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const truncated = () =>
  new ArchiveError(
    'truncated',
    'The archive is incomplete (cut off or damaged): its index is missing.'
  );
const corrupt = (what: string) =>
  new ArchiveError('not_a_zip', `This file is not a readable archive: ${what}.`);

/** Lists the entries of a zip, checking every name and size before anything is read. */
export async function readZipDirectory(source: ArchiveSource): Promise<ZipEntry[]> {
  if (source.size < 22) throw corrupt('it is too small to be a zip file');
  const tailLength = Math.min(source.size, 22 + 65_535 + 20);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD && i + 22 + view.getUint16(i + 20, true) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const looksZip = (await source.read(0, 4)).every((b, i) => b === [0x50, 0x4b, 3, 4][i]);
    throw looksZip ? truncated() : corrupt('it is not a zip file');
  }
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0)
    throw corrupt('multi-part archives are not supported');
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const z64Offset = Number(view.getBigUint64(eocd - 20 + 8, true));
    if (z64Offset + 56 > source.size) throw truncated();
    const z = await source.read(z64Offset, 56);
    const zv = new DataView(z.buffer, z.byteOffset, z.byteLength);
    if (zv.getUint32(0, true) !== ZIP64_EOCD) throw corrupt('its zip64 index is damaged');
    count = Number(zv.getBigUint64(32, true));
    cdSize = Number(zv.getBigUint64(40, true));
    cdOffset = Number(zv.getBigUint64(48, true));
  }
  if (count > LIMITS.maxEntries)
    throw new ArchiveError(
      'too_large',
      `The archive has ${count} entries; at most ${LIMITS.maxEntries} are accepted.`
    );
  if (cdOffset + cdSize > tailStart + eocd || cdSize > count * (46 + 65_535 * 3)) throw truncated();
  const cd = await source.read(cdOffset, cdSize);
  return parseCentralDirectory(cd, count, cdOffset);
}

function parseCentralDirectory(cd: Uint8Array, count: number, cdOffset: number): ZipEntry[] {
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = 0;
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || view.getUint32(p, true) !== CENTRAL)
      throw corrupt('its index is damaged');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength + extraLength + commentLength > cd.length)
      throw corrupt('its index is damaged');
    const name = decodeName(cd.subarray(p + 46, p + 46 + nameLength));
    const sizes = {
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localHeaderOffset: view.getUint32(p + 42, true)
    };
    readZip64Extra(cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), sizes);
    if (flags & 0x41)
      throw new ArchiveError(
        'encrypted',
        `"${name}" is encrypted; encrypted archives are not supported.`
      );
    if (method !== 0 && method !== 8)
      throw new ArchiveError(
        'unsupported_compression',
        `"${name}" uses a compression this app does not read.`
      );
    if (names.has(name))
      throw new ArchiveError('unsafe_path', `The archive holds "${name}" twice.`);
    names.add(name);
    checkSizes(name, method, sizes.compressedSize, sizes.size);
    total += sizes.size;
    if (total > LIMITS.maxTotalBytes)
      throw new ArchiveError('zip_bomb', 'The archive would unpack to more than this app accepts.');
    if (sizes.localHeaderOffset + 30 + sizes.compressedSize > cdOffset) throw truncated();
    entries.push({ name, method, crc: view.getUint32(p + 16, true), ...sizes });
    p += 46 + nameLength + extraLength + commentLength;
  }
  checkNoOverlap(entries, cdOffset);
  return entries;
}

function decodeName(bytes: Uint8Array): string {
  if (bytes.length === 0 || bytes.length > LIMITS.maxNameBytes)
    throw new ArchiveError(
      'unsafe_path',
      'The archive holds an entry with an empty or over-long name.'
    );
  let name: string;
  try {
    name = utf8.decode(bytes);
  } catch {
    throw new ArchiveError(
      'unsafe_path',
      'The archive holds an entry whose name is not valid text.'
    );
  }
  // Never trusted as a path: only the fixed layout is accepted, so "../", "/etc", "C:\" and
  // control characters are refused before any entry is read.
  if (!ENTRY_PATTERN.test(name) || name.split('/').some((part) => part === '..' || part === '.'))
    throw new ArchiveError(
      'unsafe_path',
      `The archive holds an entry with a name that is not allowed: ${JSON.stringify(name.slice(0, 80))}.`
    );
  return name;
}

function readZip64Extra(
  extra: Uint8Array,
  sizes: { compressedSize: number; size: number; localHeaderOffset: number }
): void {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let p = 0; p + 4 <= extra.length;) {
    const id = view.getUint16(p, true);
    const length = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        if (q + 8 > p + 4 + length) throw corrupt('its zip64 sizes are damaged');
        const value = Number(view.getBigUint64(q, true));
        q += 8;
        return value;
      };
      if (sizes.size === 0xffffffff) sizes.size = next();
      if (sizes.compressedSize === 0xffffffff) sizes.compressedSize = next();
      if (sizes.localHeaderOffset === 0xffffffff) sizes.localHeaderOffset = next();
    }
    p += 4 + length;
  }
}

function checkSizes(name: string, method: number, compressed: number, size: number): void {
  const binary = name.startsWith('audio/') || name.startsWith('recordings/');
  const limit = binary ? LIMITS.maxBinaryEntryBytes : LIMITS.maxTextEntryBytes;
  if (size > limit)
    throw new ArchiveError(
      'too_large',
      `"${name}" is ${size} bytes; at most ${limit} are accepted.`
    );
  if (method === 0 && compressed !== size) throw corrupt(`"${name}" has inconsistent sizes`);
  if (method === 8 && size > 1024 * 1024 && size > compressed * LIMITS.maxRatio)
    throw new ArchiveError(
      'zip_bomb',
      `"${name}" would expand more than ${LIMITS.maxRatio} times: refused as a zip bomb.`
    );
}

/** Overlapping entries are how the densest zip bombs reuse bytes; a real archive never has them. */
function checkNoOverlap(entries: ZipEntry[], cdOffset: number): void {
  const sorted = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i]!;
    const nextStart = sorted[i + 1]?.localHeaderOffset ?? cdOffset;
    if (entry.localHeaderOffset + 30 + entry.compressedSize > nextStart)
      throw new ArchiveError(
        'zip_bomb',
        'The archive has overlapping entries: refused as a zip bomb.'
      );
  }
}

/**
 * Streams an entry's uncompressed bytes in chunks, checking that it unpacks to exactly its
 * declared size and CRC; an entry that would grow past its declared size stops at once.
 */
export async function* readEntry(
  source: ArchiveSource,
  entry: ZipEntry
): AsyncGenerator<Uint8Array> {
  const header = await source.read(entry.localHeaderOffset, 30);
  const hv = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length < 30 || hv.getUint32(0, true) !== LOCAL)
    throw new ArchiveError('corrupt_entry', `"${entry.name}" is damaged (its header is missing).`);
  const start = entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  const end = start + entry.compressedSize;
  if (end > source.size) throw new ArchiveError('truncated', `"${entry.name}" is cut off.`);
  const crc = new Crc32();
  let produced = 0;
  const out: Uint8Array[] = [];
  const accept = (chunk: Uint8Array) => {
    produced += chunk.length;
    if (produced > entry.size)
      throw new ArchiveError('zip_bomb', `"${entry.name}" unpacks to more than its declared size.`);
    crc.update(chunk);
    out.push(chunk);
  };
  const inflate = entry.method === 8 ? new Inflate((chunk) => accept(chunk)) : null;
  for (let offset = start; offset < end || offset === start; offset += READ_CHUNK) {
    const length = Math.min(READ_CHUNK, end - offset);
    const chunk = length > 0 ? await source.read(offset, length) : new Uint8Array(0);
    if (chunk.length !== length) throw new ArchiveError('truncated', `"${entry.name}" is cut off.`);
    const final = offset + length >= end;
    try {
      if (inflate) inflate.push(chunk, final);
      else accept(chunk);
    } catch (err) {
      if (err instanceof ArchiveError) throw err;
      throw new ArchiveError('corrupt_entry', `"${entry.name}" is damaged and cannot be unpacked.`);
    }
    while (out.length > 0) yield out.shift()!;
    if (final) break;
  }
  if (produced !== entry.size)
    throw new ArchiveError(
      'corrupt_entry',
      `"${entry.name}" is damaged (it is shorter than declared).`
    );
  if (crc.value() !== entry.crc)
    throw new ArchiveError(
      'checksum_mismatch',
      `"${entry.name}" is damaged (its CRC does not match).`
    );
}

/** Reads a whole entry into one buffer (entries are size-limited before this is called). */
export async function readEntryBytes(source: ArchiveSource, entry: ZipEntry): Promise<Uint8Array> {
  const bytes = new Uint8Array(entry.size);
  let offset = 0;
  for await (const chunk of readEntry(source, entry)) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
