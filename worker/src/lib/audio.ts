/** Audio containers the worker recognises by their first bytes. */
export type AudioContainer = 'wav' | 'ogg' | 'flac' | 'mp3' | 'webm' | 'mp4';

const ascii = (bytes: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...bytes.subarray(start, start + length));

/**
 * Recognises an audio file by its magic bytes, so a file merely *named* audio (a PDF with
 * `type: audio/wav`) is refused before it costs an upstream call. Null: not a known container.
 */
export function sniffAudio(bytes: Uint8Array): AudioContainer | null {
  if (bytes.length < 12) return null;
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav';
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (ascii(bytes, 4, 4) === 'ftyp') return 'mp4';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3)
    return 'webm';
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  // An MPEG audio frame sync: 11 set bits, layer bits not 00.
  if (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) !== 0) return 'mp3';
  return null;
}

/** Duration of a PCM WAV file from its header, in ms; null when the header says nothing usable. */
export function wavDurationMs(bytes: Uint8Array): number | null {
  if (sniffAudio(bytes) !== 'wav') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let byteRate = 0;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ' && offset + 16 <= bytes.length) byteRate = view.getUint32(offset + 16, true);
    if (id === 'data') {
      const dataSize = Math.min(size, bytes.length - offset - 8);
      return byteRate > 0 ? Math.round((dataSize / byteRate) * 1000) : null;
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}
