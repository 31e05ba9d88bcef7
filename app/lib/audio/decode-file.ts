/**
 * Decodes an audio file the person imports (wav, mp3, m4a, ogg/opus, webm, flac) to 16 kHz mono
 * in the browser. WAV is parsed directly (any length, no codec); the rest goes through the
 * browser's own decoder, then is mixed down and resampled like microphone audio.
 */
import { StreamingResampler } from './resample';
import { decodeWav, WavFormatError } from './wav';

/** File types offered in the picker. */
export const IMPORT_ACCEPT = '.wav,.mp3,.m4a,.mp4,.aac,.ogg,.oga,.opus,.webm,.flac,audio/*';

/** An import that cannot be decoded; the message is fit to show. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** Decodes a file to 16 kHz mono samples. */
export async function decodeAudioFile(file: Blob & { name?: string }): Promise<Float32Array> {
  const bytes = await file.arrayBuffer();
  if (bytes.byteLength === 0) throw new ImportError('This file is empty.');
  const head = new TextDecoder().decode(new Uint8Array(bytes, 0, Math.min(12, bytes.byteLength)));
  if (head.startsWith('RIFF') && head.slice(8) === 'WAVE') {
    try {
      const { samples, sampleRate } = decodeWav(bytes);
      return sampleRate === 16_000 ? samples : resampleLong(samples, sampleRate);
    } catch (err) {
      if (!(err instanceof WavFormatError)) throw err;
      // Compressed WAV (e.g. ADPCM): let the browser try.
    }
  }
  const Context = globalThis.OfflineAudioContext;
  if (!Context) throw new ImportError('This browser cannot decode audio files.');
  let buffer: AudioBuffer;
  try {
    // The context's rate is only a container: decodeAudioData returns the file's own channels.
    buffer = await new Context(1, 1, 48_000).decodeAudioData(bytes.slice(0));
  } catch {
    throw new ImportError(
      `“${file.name ?? 'This file'}” could not be decoded. Use WAV, MP3, M4A, Ogg/Opus, WebM or FLAC audio.`
    );
  }
  // The browser mixes down and resamples natively (fast even for an hour of audio).
  const target = new Context(1, Math.max(1, Math.ceil(buffer.duration * 16_000)), 16_000);
  const source = target.createBufferSource();
  source.buffer = buffer;
  source.connect(target.destination);
  source.start();
  return (await target.startRendering()).getChannelData(0).slice();
}

/** Resamples block by block into one preallocated buffer (no per-sample arrays for long files). */
export function resampleLong(samples: Float32Array, rate: number): Float32Array {
  const resampler = new StreamingResampler(rate, 16_000);
  const expected = Math.round((samples.length * 16_000) / rate);
  const out = new Float32Array(expected);
  let at = 0;
  const put = (block: Float32Array) => {
    const take = Math.min(block.length, expected - at);
    out.set(block.subarray(0, take), at);
    at += take;
  };
  for (let i = 0; i < samples.length; i += rate)
    put(resampler.process(samples.subarray(i, i + rate)));
  put(resampler.process(new Float32Array(64 + Math.ceil(2 * resampler.ratio))));
  return out;
}
