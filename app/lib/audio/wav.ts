/** PCM WAV encoding and decoding: how captured audio is stored and exported. */

/** Decoded audio: mono samples in [-1, 1] at `sampleRate`. */
export interface PcmAudio {
  sampleRate: number;
  samples: Float32Array;
}

/** Encodes mono float samples as a 16-bit PCM WAV file. */
export function encodeWav(samples: Float32Array, sampleRate: number): ArrayBuffer {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return buffer;
}

/** Error thrown for files that are not PCM WAV. */
export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

/**
 * Decodes a PCM (8/16/24/32-bit int or 32-bit float) WAV file to mono floats. Walks the chunk list
 * instead of assuming the data starts at byte 44: many files carry LIST or fact chunks first.
 */
export function decodeWav(data: ArrayBuffer): PcmAudio {
  const view = new DataView(data);
  const tag = (offset: number) => String.fromCharCode(...new Uint8Array(data, offset, 4));
  if (data.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new WavFormatError('Not a WAV file (missing RIFF/WAVE header).');
  }
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let offset = 12;
  while (offset + 8 <= data.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (!channels || !sampleRate)
        throw new WavFormatError('WAV data chunk before its fmt chunk.');
      const length = Math.min(size, data.byteLength - body);
      return { sampleRate, samples: readSamples(view, body, length, format, bits, channels) };
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError('WAV file has no data chunk.');
}

function readSamples(
  view: DataView,
  start: number,
  length: number,
  format: number,
  bits: number,
  channels: number
): Float32Array {
  const bytes = bits / 8;
  const frames = Math.floor(length / (bytes * channels));
  const read = sampleReader(view, format, bits);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(start + (f * channels + c) * bytes);
    out[f] = sum / channels;
  }
  return out;
}

function sampleReader(view: DataView, format: number, bits: number): (at: number) => number {
  if (format === 3 && bits === 32) return (at) => view.getFloat32(at, true);
  if (format !== 1) throw new WavFormatError(`Unsupported WAV encoding (format ${format}).`);
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => {
        const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
        return v / 8388608;
      };
    case 32:
      return (at) => view.getInt32(at, true) / 2147483648;
    default:
      throw new WavFormatError(`Unsupported WAV bit depth (${bits}).`);
  }
}
