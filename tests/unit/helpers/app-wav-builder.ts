/** Builds WAV files byte by byte for decoder tests (independent of the app's encoder). */

/** One RIFF chunk. */
export interface Chunk {
  id: string;
  body: Uint8Array;
}

/** A `fmt ` chunk body (16 bytes, or 40 for WAVE_FORMAT_EXTENSIBLE with `subFormat`). */
export function fmtChunk(
  format: number,
  channels: number,
  rate: number,
  bits: number,
  subFormat?: number
): Chunk {
  const extensible = subFormat !== undefined;
  const body = new Uint8Array(extensible ? 40 : 16);
  const view = new DataView(body.buffer);
  const blockAlign = (channels * bits) / 8;
  view.setUint16(0, format, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, rate, true);
  view.setUint32(8, rate * blockAlign, true);
  view.setUint16(12, blockAlign, true);
  view.setUint16(14, bits, true);
  if (extensible) {
    view.setUint16(16, 22, true); // cbSize
    view.setUint16(18, bits, true); // valid bits
    view.setUint32(20, channels === 1 ? 0x4 : 0x3, true); // channel mask
    view.setUint16(24, subFormat, true); // first two bytes of the sub-format GUID
  }
  return { id: 'fmt ', body };
}

/** Interleaved frames (one array of channel values per frame) as little-endian sample bytes. */
export function sampleBytes(
  frames: number[][],
  write: (view: DataView, at: number, value: number) => void,
  bytesPerSample: number
): Uint8Array {
  const channels = frames[0]?.length ?? 1;
  const body = new Uint8Array(frames.length * channels * bytesPerSample);
  const view = new DataView(body.buffer);
  frames.forEach((frame, f) =>
    frame.forEach((value, c) => write(view, (f * channels + c) * bytesPerSample, value))
  );
  return body;
}

/** A RIFF/WAVE file made of the given chunks (odd-sized chunks padded as the format requires). */
export function riffWave(chunks: Chunk[]): ArrayBuffer {
  const size = chunks.reduce((n, c) => n + 8 + c.body.length + (c.body.length % 2), 12);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, size - 8, true);
  ascii(8, 'WAVE');
  let offset = 12;
  for (const chunk of chunks) {
    ascii(offset, chunk.id);
    view.setUint32(offset + 4, chunk.body.length, true);
    bytes.set(chunk.body, offset + 8);
    offset += 8 + chunk.body.length + (chunk.body.length % 2);
  }
  return bytes.buffer;
}

/** An ASCII chunk body. */
export function textBody(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}
