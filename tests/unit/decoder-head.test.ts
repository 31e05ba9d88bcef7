import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  detachedOutputProjection,
  isWhisperDecoderFile,
  precomputedOutputProjection
} from '$lib/asr/decoder-head';
import { Int8HeadDecoder, int8Head } from '$lib/asr/int8-head-decoder';
import { createModelFetch } from '$lib/asr/model-fetch';
import { speechSamples } from './helpers/app-files';
import { localTransformers, tinyOnnx } from './helpers/app-whisper';
import { seededRandom } from './helpers/app-signal';
import { decodeWhisper, type WhisperParts } from '$lib/asr/whisper-decode';

const DECODER = tinyOnnx('decoder_model_merged_quantized.onnx');
const ENCODER = tinyOnnx('encoder_model_quantized.onnx');
const LAYERS = 4;
const HEADS = 6;
const HEAD_DIM = 64;

function randomTensor(random: () => number, dims: number[]): ort.Tensor {
  const data = Float32Array.from({ length: dims.reduce((n, d) => n * d, 1) }, () => random() - 0.5);
  return new ort.Tensor('float32', data, dims);
}

/** Inputs of one decoder step: `cached` runs the branch generation uses after its first token. */
function stepInputs(cached: boolean, frames: number): Record<string, ort.Tensor> {
  const random = seededRandom(frames + (cached ? 1 : 0));
  const ids = cached ? [440n] : [50258n, 50259n, 50359n];
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]),
    encoder_hidden_states: randomTensor(random, [1, frames, 384]),
    use_cache_branch: new ort.Tensor('bool', [cached], [1])
  };
  for (let l = 0; l < LAYERS; l++) {
    for (const kv of ['key', 'value']) {
      const past = cached ? 5 : 0;
      feeds[`past_key_values.${l}.decoder.${kv}`] = randomTensor(random, [
        1,
        HEADS,
        past,
        HEAD_DIM
      ]);
      feeds[`past_key_values.${l}.encoder.${kv}`] = randomTensor(random, [
        1,
        HEADS,
        cached ? frames : 0,
        HEAD_DIM
      ]);
    }
  }
  return feeds;
}

/**
 * Three real clips decoded with timestamps by the stock tiny pipeline, then again with its decoder
 * session replaced by `edited()`.
 */
async function stockAndEdited(edited: () => Promise<unknown>) {
  const { pipeline } = await localTransformers();
  const asr = await pipeline('automatic-speech-recognition', 'Xenova/whisper-tiny', {
    dtype: 'q8',
    device: 'cpu'
  });
  const parts = asr as unknown as WhisperParts & { model: { sessions: Record<string, unknown> } };
  const clips = ['jfk-inaugural-1961', 'ls-1089-134686-0000', 'lj-LJ001-0001'].map(speechSamples);
  const decodeAll = () =>
    Promise.all(
      clips.map((audio) => decodeWhisper(parts, audio, { language: 'en', timestamps: true }))
    );
  const stock = await decodeAll();
  parts.model.sessions.decoder_model_merged = await edited();
  return [stock, await decodeAll()] as const;
}

describe('precomputedOutputProjection on the real Whisper tiny decoder', () => {
  it('gives the stock logits and caches in both branches', { timeout: 120_000 }, async () => {
    const stockBytes = new Uint8Array(readFileSync(DECODER));
    const rewritten = precomputedOutputProjection(stockBytes);
    // The float matrix (51,865 × 384 × 4 bytes) is added; the two nodes per branch are gone.
    expect(rewritten.length - stockBytes.length).toBeGreaterThan(79_000_000);
    const stock = await ort.InferenceSession.create(stockBytes);
    const fast = await ort.InferenceSession.create(rewritten);
    for (const cached of [false, true]) {
      const feeds = stepInputs(cached, 40);
      const a = await stock.run(feeds);
      const b = await fast.run(feeds);
      for (const name of stock.outputNames) {
        expect(b[name]!.dims, name).toEqual(a[name]!.dims);
        const x = a[name]!.data as Float32Array;
        const y = b[name]!.data as Float32Array;
        // The caches are bit-identical. The logits differ in float rounding only: onnxruntime
        // prepacks a constant MatMul weight, which changes the summation order (measured: at
        // most 1.5e-5 on logits up to 35); a wrong scale or zero point moves them by far more.
        let maxDiff = 0;
        for (let i = 0; i < x.length; i++) maxDiff = Math.max(maxDiff, Math.abs(x[i]! - y[i]!));
        expect(maxDiff, name).toBeLessThan(name === 'logits' ? 1e-4 : Number.MIN_VALUE);
      }
    }
  });

  it('decodes real speech to the same tokens', { timeout: 180_000 }, async () => {
    const [stock, fast] = await stockAndEdited(async () =>
      ort.InferenceSession.create(
        precomputedOutputProjection(new Uint8Array(readFileSync(DECODER)))
      )
    );
    expect(fast.map((t) => t.tokens)).toEqual(stock.map((t) => t.tokens));
    expect(stock[0]!.text.toLowerCase()).toContain('ask not');
  });

  it('refuses a model without a dequantized projection, and non-models', () => {
    expect(() => precomputedOutputProjection(new Uint8Array(readFileSync(ENCODER)))).toThrow(
      /no dequantized output projection/
    );
    expect(() => precomputedOutputProjection(new Uint8Array([8, 7]))).toThrow(/no graph/);
  });

  it('recognises Whisper decoder files only', () => {
    expect(
      isWhisperDecoderFile('/models/Xenova/whisper-tiny/onnx/decoder_model_merged_quantized.onnx')
    ).toBe(true);
    expect(
      isWhisperDecoderFile('/models/Xenova/whisper-base/onnx/decoder_model_merged.onnx?x=1')
    ).toBe(true);
    expect(isWhisperDecoderFile('/models/Xenova/whisper-tiny/onnx/encoder_model.onnx')).toBe(false);
    expect(isWhisperDecoderFile('/models/Xenova/all-MiniLM-L6-v2/onnx/model.onnx')).toBe(false);
  });

  it('is applied by the model fetch, which serves an uneditable decoder as it is', async () => {
    const url = '/models/Xenova/whisper-tiny/onnx/decoder_model_merged_quantized.onnx';
    const stock = new Uint8Array(readFileSync(DECODER));
    const odd = new Uint8Array([8, 7]);
    const files: Record<string, Uint8Array> = { [url]: stock, [url.replace('tiny', 'base')]: odd };
    const f = createModelFetch((input) =>
      Promise.resolve(new Response(files[input.toString()]!.slice()))
    );
    const served = new Uint8Array(await (await f.fetch(url)).arrayBuffer());
    // Buffer.compare: a deep toEqual over 110 MB is far too slow.
    expect(Buffer.compare(served, precomputedOutputProjection(stock))).toBe(0);
    const base = new Uint8Array(await (await f.fetch(url.replace('tiny', 'base'))).arrayBuffer());
    expect(base).toEqual(odd);
    // Only encoders change the window.
    expect(f.variable('/Xenova/whisper-tiny/')).toBe(false);
  });
});

describe('detachedOutputProjection with the int8 head on the real Whisper tiny decoder', () => {
  it(
    'gives the stock last-token logits and caches in both branches',
    { timeout: 120_000 },
    async () => {
      const stockBytes = new Uint8Array(readFileSync(DECODER));
      const { model, head } = detachedOutputProjection(stockBytes);
      expect([head.rows, head.k]).toEqual([51_865, 384]);
      // Nothing is added: the graph only loses its projection nodes.
      expect(model.length).toBeLessThan(stockBytes.length);
      const stock = await ort.InferenceSession.create(stockBytes);
      const kernel = int8Head(head)!;
      const fast = new Int8HeadDecoder(await ort.InferenceSession.create(model), kernel);
      expect(fast.outputNames).toEqual(stock.outputNames);
      for (const cached of [false, true]) {
        const feeds = stepInputs(cached, 40);
        const a = await stock.run(feeds);
        const b = (await fast.run(feeds)) as Record<string, ort.Tensor>;
        for (const name of stock.outputNames) {
          const x = a[name]!.data as Float32Array;
          const y = b[name]!.data as Float32Array;
          if (name !== 'logits') {
            expect(b[name]!.dims, name).toEqual(a[name]!.dims);
            expect(Buffer.compare(Buffer.from(y.buffer), Buffer.from(x.buffer)), name).toBe(0);
            continue;
          }
          // Only the last token's row, which is all generation reads.
          const [, steps, vocab] = a[name]!.dims as number[];
          expect(b[name]!.dims).toEqual([1, 1, vocab]);
          const last = x.subarray((steps! - 1) * vocab!);
          // The hidden state is rounded to int16 steps of 2⁻¹⁵ of its largest element before the
          // product (measured: at most 3e-3 on logits up to ~20); a wrong scale, zero point or row
          // moves logits by whole units.
          let maxDiff = 0;
          const argmax = [0, 0];
          for (let i = 0; i < vocab!; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(last[i]! - y[i]!));
            if (last[i]! > last[argmax[0]!]!) argmax[0] = i;
            if (y[i]! > y[argmax[1]!]!) argmax[1] = i;
          }
          expect(maxDiff).toBeLessThan(1e-2);
          expect(argmax[1]).toBe(argmax[0]);
        }
      }
    }
  );

  it('decodes real speech to the same tokens', { timeout: 180_000 }, async () => {
    const [stock, fast] = await stockAndEdited(async () => {
      const { model, head } = detachedOutputProjection(new Uint8Array(readFileSync(DECODER)));
      return new Int8HeadDecoder(await ort.InferenceSession.create(model), int8Head(head)!);
    });
    expect(fast.map((t) => t.tokens)).toEqual(stock.map((t) => t.tokens));
  });

  it('is applied by the model fetch when asked, with the kernel kept for the session', async () => {
    const url = '/models/Xenova/whisper-tiny/onnx/decoder_model_merged_quantized.onnx';
    const stock = new Uint8Array(readFileSync(DECODER));
    const odd = new Uint8Array([8, 7]);
    const files: Record<string, Uint8Array> = { [url]: stock, [url.replace('tiny', 'base')]: odd };
    let asked = 0;
    const f = createModelFetch(
      (input) => Promise.resolve(new Response(files[input.toString()]!.slice())),
      undefined,
      { int8Head: () => ++asked > 0 }
    );
    const served = new Uint8Array(await (await f.fetch(url)).arrayBuffer());
    expect(Buffer.compare(served, detachedOutputProjection(stock).model)).toBe(0);
    expect(asked).toBe(1);
    expect(f.decoderHead('/Xenova/whisper-tiny/')?.rows).toBe(51_865);
    // A decoder that cannot be edited is served as it is, with no kernel.
    const base = new Uint8Array(await (await f.fetch(url.replace('tiny', 'base'))).arrayBuffer());
    expect(base).toEqual(odd);
    expect(f.decoderHead('/Xenova/whisper-base/')).toBeNull();
    f.release();
    expect(f.decoderHead('/Xenova/whisper-tiny/')).toBeNull();
  });

  it('refuses a model without a dequantized projection', () => {
    expect(() => detachedOutputProjection(new Uint8Array(readFileSync(ENCODER)))).toThrow(
      /no dequantized output projection/
    );
  });
});
