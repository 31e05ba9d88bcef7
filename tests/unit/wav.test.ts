import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, WavFormatError } from '$lib/audio/wav';
import {
  clipPath,
  JFK_WITH_LIST_CHUNK,
  readArrayBuffer,
  speechManifest
} from './helpers/app-files';
import { sine } from './helpers/app-signal';
import { fmtChunk, riffWave, sampleBytes, textBody } from './helpers/app-wav-builder';

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

describe('encodeWav', () => {
  it('writes a 44-byte canonical PCM16 mono header', () => {
    const wav = encodeWav(new Float32Array(10), 16_000);
    const view = new DataView(wav);
    const ascii = (at: number) => String.fromCharCode(...new Uint8Array(wav, at, 4));
    expect(wav.byteLength).toBe(44 + 20);
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(wav.byteLength - 8);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint32(28, true)).toBe(32_000);
    expect(view.getUint16(32, true)).toBe(2);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(20);
  });

  it('clips samples outside [-1, 1] to full scale', () => {
    const view = new DataView(encodeWav(Float32Array.from([2, -2, 1, -1, 0]), 8000));
    expect([0, 1, 2, 3, 4].map((i) => view.getInt16(44 + i * 2, true))).toEqual([
      32767, -32768, 32767, -32768, 0
    ]);
  });
});

describe('encodeWav → decodeWav', () => {
  it('round-trips samples within PCM16 quantisation', () => {
    const samples = sine(440, 16_000, 16_000, 0.9);
    samples[0] = 1;
    samples[1] = -1;
    samples[2] = 1e-6;
    const decoded = decodeWav(encodeWav(samples, 16_000));
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.samples.length).toBe(samples.length);
    let maxError = 0;
    for (let i = 0; i < samples.length; i++) {
      maxError = Math.max(maxError, Math.abs((decoded.samples[i] ?? 0) - (samples[i] ?? 0)));
    }
    // One PCM16 step is 1/32768 ≈ 3.05e-5; truncation plus the asymmetric scale stays within two.
    expect(maxError).toBeLessThan(2 / 32768);
  });

  it('keeps the sample rate and an empty recording', () => {
    const decoded = decodeWav(encodeWav(new Float32Array(0), 44_100));
    expect(decoded.sampleRate).toBe(44_100);
    expect(decoded.samples.length).toBe(0);
  });
});

describe('decodeWav on real recordings', () => {
  const clips = speechManifest();

  it('finds the shared speech clips', () => {
    expect(clips.length).toBeGreaterThan(10);
  });

  it.each(clips.map((c) => [c.id, c] as const))(
    'decodes %s at 16 kHz with the manifest duration',
    (_, clip) => {
      const { sampleRate, samples } = decodeWav(readArrayBuffer(clipPath(clip)));
      expect(sampleRate).toBe(16_000);
      expect(Math.abs(samples.length / sampleRate - clip.seconds)).toBeLessThan(0.002);
      // Real speech: not silent, and within full scale.
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s));
      expect(peak).toBeGreaterThan(0.05);
      expect(peak).toBeLessThanOrEqual(1);
    }
  );

  it('skips a LIST chunk before the data chunk (jfk.wav)', () => {
    const bytes = readArrayBuffer(JFK_WITH_LIST_CHUNK);
    const ascii = (at: number) => String.fromCharCode(...new Uint8Array(bytes, at, 4));
    // The fixture really has fmt (16 bytes) then LIST before data.
    expect(ascii(36)).toBe('LIST');
    const { sampleRate, samples } = decodeWav(bytes);
    expect(sampleRate).toBe(16_000);
    expect(samples.length).toBe(176_000);
    // The decoded samples are the data chunk's, not the LIST text read as audio.
    const listSize = new DataView(bytes).getUint32(40, true);
    const dataStart = 44 + listSize + (listSize % 2) + 8;
    const view = new DataView(bytes);
    for (const i of [0, 1, 1000, 88_000, 175_999]) {
      expect(samples[i]).toBe(view.getInt16(dataStart + i * 2, true) / 32768);
    }
  });

  it('decodes the same audio from the LIST and the plain copy of the JFK clip', () => {
    const withList = decodeWav(readArrayBuffer(JFK_WITH_LIST_CHUNK)).samples;
    const jfk = clips.find((c) => c.id === 'jfk-inaugural-1961');
    expect(jfk).toBeDefined();
    const plain = decodeWav(readArrayBuffer(clipPath(jfk!))).samples;
    expect(plain.length).toBe(withList.length);
    expect(plain.every((v, i) => v === withList[i])).toBe(true);
  });
});

describe('decodeWav formats', () => {
  const int16 = (view: DataView, at: number, v: number) => view.setInt16(at, v, true);

  it('averages stereo to mono', () => {
    const frames = [
      [16384, -16384],
      [32767, 32767],
      [-32768, 0],
      [8192, 24576]
    ];
    const wav = riffWave([
      fmtChunk(PCM, 2, 48_000, 16),
      { id: 'data', body: sampleBytes(frames, int16, 2) }
    ]);
    const { sampleRate, samples } = decodeWav(wav);
    expect(sampleRate).toBe(48_000);
    expect(Array.from(samples)).toEqual([0, 32767 / 32768, -0.5, 0.5]);
  });

  it('decodes 8-bit unsigned PCM', () => {
    const frames = [[0], [64], [128], [192], [255]];
    const uint8 = (view: DataView, at: number, v: number) => view.setUint8(at, v);
    const wav = riffWave([
      fmtChunk(PCM, 1, 8000, 8),
      { id: 'data', body: sampleBytes(frames, uint8, 1) }
    ]);
    expect(Array.from(decodeWav(wav).samples)).toEqual([-1, -0.5, 0, 0.5, 127 / 128]);
  });

  it('decodes 24-bit PCM including negative values', () => {
    const values = [0, 4_194_304, -4_194_304, 8_388_607, -8_388_608, -1, 1];
    const int24 = (view: DataView, at: number, v: number) => {
      const u = v < 0 ? v + 0x1000000 : v;
      view.setUint8(at, u & 0xff);
      view.setUint8(at + 1, (u >> 8) & 0xff);
      view.setUint8(at + 2, (u >> 16) & 0xff);
    };
    const wav = riffWave([
      fmtChunk(PCM, 1, 96_000, 24),
      {
        id: 'data',
        body: sampleBytes(
          values.map((v) => [v]),
          int24,
          3
        )
      }
    ]);
    const { samples } = decodeWav(wav);
    expect(Array.from(samples)).toEqual(values.map((v) => Math.fround(v / 8_388_608)));
    expect(samples[2]).toBe(-0.5);
  });

  it('decodes 32-bit integer PCM', () => {
    const values = [0, 1_073_741_824, -1_073_741_824, -2_147_483_648];
    const int32 = (view: DataView, at: number, v: number) => view.setInt32(at, v, true);
    const wav = riffWave([
      fmtChunk(PCM, 1, 16_000, 32),
      {
        id: 'data',
        body: sampleBytes(
          values.map((v) => [v]),
          int32,
          4
        )
      }
    ]);
    expect(Array.from(decodeWav(wav).samples)).toEqual([0, 0.5, -0.5, -1]);
  });

  it('decodes 32-bit float', () => {
    const values = [0, 0.25, -0.75, 1, -1];
    const float32 = (view: DataView, at: number, v: number) => view.setFloat32(at, v, true);
    const wav = riffWave([
      fmtChunk(FLOAT, 1, 16_000, 32),
      {
        id: 'data',
        body: sampleBytes(
          values.map((v) => [v]),
          float32,
          4
        )
      }
    ]);
    expect(Array.from(decodeWav(wav).samples)).toEqual(values);
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE by its sub-format', () => {
    const values = [0.5, -0.125];
    const float32 = (view: DataView, at: number, v: number) => view.setFloat32(at, v, true);
    const wav = riffWave([
      fmtChunk(EXTENSIBLE, 1, 16_000, 32, FLOAT),
      {
        id: 'data',
        body: sampleBytes(
          values.map((v) => [v]),
          float32,
          4
        )
      }
    ]);
    expect(Array.from(decodeWav(wav).samples)).toEqual(values);
  });

  it('skips odd-sized chunks with their pad byte', () => {
    const wav = riffWave([
      fmtChunk(PCM, 1, 16_000, 16),
      { id: 'note', body: textBody('odd') },
      { id: 'data', body: sampleBytes([[16384], [-16384]], int16, 2) }
    ]);
    expect(Array.from(decodeWav(wav).samples)).toEqual([0.5, -0.5]);
  });

  it('reads what is there when the data size overstates the file (streamed WAV)', () => {
    const wav = riffWave([
      fmtChunk(PCM, 1, 16_000, 16),
      { id: 'data', body: sampleBytes([[16384], [8192]], int16, 2) }
    ]);
    new DataView(wav).setUint32(40, 0xffffffff, true);
    expect(Array.from(decodeWav(wav).samples)).toEqual([0.5, 0.25]);
  });

  it('ignores a trailing partial frame', () => {
    const body = new Uint8Array([0x00, 0x40, 0x00, 0xc0, 0x12]);
    const wav = riffWave([fmtChunk(PCM, 1, 16_000, 16), { id: 'data', body }]);
    expect(Array.from(decodeWav(wav).samples)).toEqual([0.5, -0.5]);
  });
});

describe('decodeWav errors', () => {
  it('rejects bytes that are not a WAV file', () => {
    expect(() => decodeWav(textBody('definitely not a wave file').buffer as ArrayBuffer)).toThrow(
      WavFormatError
    );
    expect(() => decodeWav(new ArrayBuffer(4))).toThrow(WavFormatError);
    expect(() => decodeWav(new ArrayBuffer(0))).toThrow(/Not a WAV file/);
  });

  it('rejects a RIFF file of another type', () => {
    const avi = riffWave([fmtChunk(PCM, 1, 16_000, 16)]);
    new Uint8Array(avi).set(textBody('AVI '), 8);
    expect(() => decodeWav(avi)).toThrow(WavFormatError);
  });

  it('rejects a WAV file without a data chunk', () => {
    const wav = riffWave([
      fmtChunk(PCM, 1, 16_000, 16),
      { id: 'LIST', body: textBody('INFOISFT') }
    ]);
    expect(() => decodeWav(wav)).toThrow(/no data chunk/);
  });

  it('rejects a data chunk that comes before fmt', () => {
    const wav = riffWave([{ id: 'data', body: new Uint8Array(4) }, fmtChunk(PCM, 1, 16_000, 16)]);
    expect(() => decodeWav(wav)).toThrow(WavFormatError);
  });

  it('rejects compressed encodings and unsupported bit depths', () => {
    const data = { id: 'data', body: new Uint8Array(8) };
    expect(() => decodeWav(riffWave([fmtChunk(0x55, 1, 16_000, 16), data]))).toThrow(/format 85/);
    expect(() => decodeWav(riffWave([fmtChunk(PCM, 1, 16_000, 12), data]))).toThrow(/bit depth/);
    expect(() => decodeWav(riffWave([fmtChunk(FLOAT, 1, 16_000, 64), data]))).toThrow(
      WavFormatError
    );
  });

  it('has a recognisable error name', () => {
    try {
      decodeWav(new ArrayBuffer(0));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('WavFormatError');
    }
  });
});
