import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createModelFetch, type ModelFetch } from '$lib/asr/model-fetch';
import {
  encoderFrames,
  isWhisperEncoderFile,
  variableLengthEncoder
} from '$lib/asr/encoder-window';
import { decodeWhisper, type WhisperParts } from '$lib/asr/whisper-decode';
import { tinyOnnx } from './helpers/app-whisper';

const ENCODER = tinyOnnx('encoder_model_quantized.onnx');
const stockBytes = () => new Uint8Array(readFileSync(ENCODER));

function features(frames: number): ort.Tensor {
  const data = new Float32Array(80 * frames);
  // Deterministic, speech-like range (log-mel features are roughly in [-1, 1]).
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 0.8;
  return new ort.Tensor('float32', data, [1, 80, frames]);
}

describe('encoderFrames', () => {
  it('leaves at least 5.5 s beyond the audio, in 5 s steps between 15 and 30 s', () => {
    const frames = (seconds: number) => encoderFrames(Math.round(seconds * 16_000));
    expect(frames(0.5)).toBe(1500);
    expect(frames(9.5)).toBe(1500);
    expect(frames(9.6)).toBe(2000);
    expect(frames(14.5)).toBe(2000);
    expect(frames(19.5)).toBe(2500);
    expect(frames(24.6)).toBe(3000);
    expect(frames(30)).toBe(3000);
  });

  it('recognises Whisper encoder files only', () => {
    expect(
      isWhisperEncoderFile('/models/Xenova/whisper-tiny/onnx/encoder_model_quantized.onnx')
    ).toBe(true);
    expect(
      isWhisperEncoderFile(
        'https://huggingface.co/Xenova/whisper-base/resolve/main/onnx/encoder_model.onnx'
      )
    ).toBe(true);
    expect(isWhisperEncoderFile('/models/Xenova/whisper-tiny/onnx/decoder_model_merged.onnx')).toBe(
      false
    );
    expect(isWhisperEncoderFile('/models/Xenova/all-MiniLM-L6-v2/onnx/model.onnx')).toBe(false);
  });
});

describe('variableLengthEncoder on the real Whisper tiny encoder', () => {
  it(
    'matches the stock encoder at 30 s and runs on a 15 s window',
    { timeout: 60_000 },
    async () => {
      const stock = await ort.InferenceSession.create(ENCODER);
      const variable = await ort.InferenceSession.create(
        variableLengthEncoder(stockBytes(), false)
      );
      const input = stock.inputNames[0]!;
      const output = stock.outputNames[0]!;
      // The attention maps are no longer outputs; the hidden state still is.
      expect(stock.outputNames).toContain('encoder_attentions.3');
      expect(variable.outputNames).toEqual(['last_hidden_state']);

      const full = features(3000);
      const a = (await stock.run({ [input]: full }))[output]!;
      const b = (await variable.run({ [input]: full }))[output]!;
      expect(b.dims).toEqual(a.dims);
      const x = a.data as Float32Array;
      const y = b.data as Float32Array;
      let maxDiff = 0;
      for (let i = 0; i < x.length; i++) maxDiff = Math.max(maxDiff, Math.abs(x[i]! - y[i]!));
      expect(maxDiff).toBeLessThan(1e-4);

      // The stock graph cannot take a shorter window; the rewritten one can.
      await expect(stock.run({ [input]: features(1500) })).rejects.toThrow();
      const short = (await variable.run({ [input]: features(1500) }))[output]!;
      expect(short.dims).toEqual([1, 750, 384]);
    }
  );

  it(
    'computes attention scores in int8 close to the float32 encoder',
    { timeout: 60_000 },
    async () => {
      const exact = await ort.InferenceSession.create(variableLengthEncoder(stockBytes(), false));
      const bytes = variableLengthEncoder(stockBytes());
      const int8 = await ort.InferenceSession.create(bytes);
      // Whisper tiny's four layers: four score MatMuls rewritten.
      const text = new TextDecoder('latin1').decode(bytes);
      expect(text.match(/lva\/layers\.\d\/self_attn\/MatMul\/mm/g)).toHaveLength(4);
      const input = exact.inputNames[0]!;
      const x = (await exact.run({ [input]: features(2000) })).last_hidden_state!
        .data as Float32Array;
      const y = (await int8.run({ [input]: features(2000) })).last_hidden_state!
        .data as Float32Array;
      let err = 0;
      let norm = 0;
      for (let i = 0; i < x.length; i++) {
        err += (x[i]! - y[i]!) ** 2;
        norm += x[i]! ** 2;
      }
      // Not bit-exact: relative RMS error 0.029 on this input (measured); 0 would mean no rewrite.
      expect(Math.sqrt(err / norm)).toBeGreaterThan(0);
      expect(Math.sqrt(err / norm)).toBeLessThan(0.05);
    }
  );

  it('refuses a graph that is not the expected export', () => {
    expect(() => variableLengthEncoder(new Uint8Array([8, 7, 18, 3, 97, 98, 99]))).toThrow(
      /no graph/
    );
    expect(() => variableLengthEncoder(new Uint8Array([0x3a, 2, 0x0a, 0]))).toThrow(/Add_2/);
  });
});

describe('createModelFetch', () => {
  const url = '/models/Xenova/whisper-tiny/onnx/encoder_model_quantized.onnx';
  const serve = (files: Record<string, Uint8Array>) => {
    const calls: string[] = [];
    const base: ModelFetch = (input) => {
      const u = input.toString();
      calls.push(u);
      const body = files[u];
      return Promise.resolve(
        body
          ? new Response(body.slice(), { headers: { 'content-length': String(body.length) } })
          : new Response('missing', { status: 404 })
      );
    };
    return { base, calls };
  };

  it('edits an encoder once, reports its download, and passes other files through', async () => {
    const stock = stockBytes();
    const { base, calls } = serve({
      [url]: stock,
      '/models/x/config.json': new Uint8Array([123, 125])
    });
    const progress: number[] = [];
    const f = createModelFetch(base, (p) => progress.push(p.loaded / p.total));
    const first = new Uint8Array(await (await f.fetch(url)).arrayBuffer());
    const second = new Uint8Array(await (await f.fetch(url)).arrayBuffer());
    expect(calls.filter((c) => c === url)).toHaveLength(1);
    // Buffer.compare: a deep toEqual over 8 MB is far too slow.
    expect(Buffer.compare(first, variableLengthEncoder(stock))).toBe(0);
    expect(Buffer.compare(second, first)).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(f.variable('/Xenova/whisper-tiny/')).toBe(true);
    expect(f.variable('/Xenova/whisper-base/')).toBe(false);
    const config = await f.fetch('/models/x/config.json');
    expect(await config.text()).toBe('{}');
  });

  it('serves an encoder it cannot edit unchanged, and passes errors through', async () => {
    const odd = new Uint8Array([8, 7]);
    const { base } = serve({ [url]: odd });
    const f = createModelFetch(base);
    expect(new Uint8Array(await (await f.fetch(url)).arrayBuffer())).toEqual(odd);
    expect(f.variable('/Xenova/whisper-tiny/')).toBe(false);
    const missing = await f.fetch('/models/Xenova/whisper-base/onnx/encoder_model_quantized.onnx');
    expect(missing.status).toBe(404);
  });
});

describe('decodeWhisper window', () => {
  const parts = (seen: unknown[]): WhisperParts => ({
    model: {
      generate: (args) => {
        seen.push(args.inputs);
        return Promise.resolve({ tolist: () => [[50258, 50259, 50359, 50363]] });
      },
      generation_config: { decoder_start_token_id: 50258, no_timestamps_token_id: 50363 }
    },
    processor: () =>
      Promise.resolve({
        input_features: { slice: (...ranges: (number[] | null)[]) => ({ sliced: ranges }) }
      }),
    tokenizer: {
      encode: () => [],
      convert_tokens_to_ids: () => [undefined],
      _decode_asr: () => ['', {}]
    }
  });

  it('slices the features to the window only when the encoder allows it', async () => {
    const seen: unknown[] = [];
    const audio = new Float32Array(16_000 * 4);
    await decodeWhisper(parts(seen), audio, { language: 'en', timestamps: false });
    await decodeWhisper(parts(seen), audio, {
      language: 'en',
      timestamps: false,
      variableEncoder: true
    });
    expect(seen[0]).not.toHaveProperty('sliced');
    expect(seen[1]).toEqual({ sliced: [null, null, [0, 1500]] });
  });
});
