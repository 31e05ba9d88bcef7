import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createAsrHandler, type AsrPipeline } from '$lib/asr/asr-handler';
import { encoderStages } from '$lib/asr/encoder-split';
import { variableLengthEncoder } from '$lib/asr/encoder-window';
import type { AsrResponse } from '$lib/asr/protocol';
import { StagedEncoder, stageEncoder, type OrtSession } from '$lib/asr/staged-encoder';
import { DataType, encodeModel, type OnnxNode } from '../../scripts/lib/onnx-proto';
import { speechSamples } from './helpers/app-files';
import { localTransformers, tinyOnnx } from './helpers/app-whisper';

const MODEL = 'Xenova/whisper-tiny';
const edited = () =>
  variableLengthEncoder(new Uint8Array(readFileSync(tinyOnnx('encoder_model_quantized.onnx'))));

function features(frames: number): ort.Tensor {
  const data = new Float32Array(80 * frames);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 0.8 + Math.sin(i * 0.01);
  return new ort.Tensor('float32', data, [1, 80, frames]);
}

describe('encoderStages on the real Whisper tiny encoder', () => {
  it('gives the stem and one stage per layer, which together compute exactly the whole', async () => {
    const bytes = edited();
    const stages = encoderStages(bytes);
    expect(stages).toHaveLength(5); // convolutions, then four layers (the last with the norm)
    const whole = await ort.InferenceSession.create(bytes);
    const sessions = await Promise.all(stages.map((s) => ort.InferenceSession.create(s)));
    expect(sessions[0]!.inputNames).toEqual(whole.inputNames);
    expect(sessions.at(-1)!.outputNames).toEqual(whole.outputNames);
    const staged = new StagedEncoder(sessions);
    const input = { input_features: features(1500) };
    const expected = (await whole.run(input)).last_hidden_state!;
    const actual = (await staged.run(input)).last_hidden_state as ort.Tensor;
    expect(actual.dims).toEqual(expected.dims);
    expect(actual.data).toEqual(expected.data); // bit for bit
  });

  it('refuses graphs that are not one stream of layers', () => {
    expect(() => encoderStages(new Uint8Array([8, 7]))).toThrow(/no graph/);
    // Layer 1 also reads a tensor that layer 0 computes besides its output.
    const io = (name: string) => ({ name, elemType: DataType.FLOAT, dims: [1, 4] });
    const nodes: OnnxNode[] = [
      { opType: 'Relu', name: '/stem/Relu', inputs: ['x'], outputs: ['s'] },
      { opType: 'Relu', name: '/layers.0/Relu', inputs: ['s'], outputs: ['a'] },
      { opType: 'Neg', name: '/layers.0/Neg', inputs: ['a'], outputs: ['side'] },
      { opType: 'Add', name: '/layers.1/Add', inputs: ['a', 'side'], outputs: ['y'] }
    ];
    const model = encodeModel({
      irVersion: 8,
      opsetImports: [{ domain: '', version: 17 }],
      producerName: 'test',
      producerVersion: '1',
      graph: { name: 'g', nodes, initializers: [], inputs: [io('x')], outputs: [io('y')] }
    });
    expect(() => encoderStages(model)).toThrow(/Layer 1 reads 2 tensors/);
  });
});

describe('StagedEncoder', () => {
  /** Stages that record their runs and pass their input on. */
  const recording = (names: string[], ran: number[]) =>
    names.map((name, i) => ({
      inputNames: [i === 0 ? 'input_features' : names[i - 1]!],
      outputNames: [i === names.length - 1 ? 'last_hidden_state' : name],
      run: (feeds: Record<string, unknown>) => {
        ran.push(i);
        return Promise.resolve({
          [i === names.length - 1 ? 'last_hidden_state' : name]:
            `${String(Object.values(feeds)[0])}>${i}`
        });
      },
      release: () => Promise.resolve()
    }));

  it('runs every stage, or stops between stages once asked to', async () => {
    const ran: number[] = [];
    const encoder = new StagedEncoder(recording(['a', 'b', 'c'], ran));
    expect(await encoder.run({ input_features: 'x' })).toEqual({ last_hidden_state: 'x>0>1>2' });
    let stop = false;
    encoder.stopWhen(() => stop);
    ran.length = 0;
    const first = recording(['a', 'b', 'c'], ran)[0]!;
    // The flag is raised while the first stage runs: the other two are skipped.
    (encoder as unknown as { stages: OrtSession[] }).stages[0] = {
      ...first,
      run: (feeds) => ((stop = true), first.run(feeds))
    };
    expect(await encoder.run({ input_features: 'x' })).toEqual({ last_hidden_state: 'x>0' });
    expect(ran).toEqual([0]);
    encoder.stopWhen(undefined);
    expect(await encoder.run({ input_features: 'x' })).toEqual({ last_hidden_state: 'x>0>1>2' });
  });
});

describe('a staged encoder in the app handler (real Whisper tiny)', () => {
  it(
    'transcribes as the whole encoder does, and a cancelled decode stops after the stage it is in',
    { timeout: 120_000 },
    async () => {
      const { pipeline } = await localTransformers();
      const bytes = edited();
      const load = async (staged: boolean) => {
        const asr = await pipeline('automatic-speech-recognition', MODEL, {
          dtype: 'q8',
          device: 'cpu'
        });
        const sessions = (asr as unknown as { model: { sessions: Record<string, unknown> } }).model
          .sessions;
        sessions.model = await ort.InferenceSession.create(bytes);
        if (staged) expect(await stageEncoder(asr, bytes)).toBe(true);
        return { asr: Object.assign(asr, { variableEncoder: true }), sessions };
      };
      const handler = (asr: AsrPipeline) => {
        const posted: AsrResponse[] = [];
        const handle = createAsrHandler(
          () => Promise.resolve(asr),
          (m) => posted.push(m)
        );
        return { handle, last: () => posted.at(-1) };
      };
      const audio = speechSamples('jfk-inaugural-1961');
      const text = async (h: ReturnType<typeof handler>, id: number) => {
        await h.handle({ id, type: 'transcribe', audio, language: 'english' });
        const m = h.last();
        if (m?.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(m)}`);
        return m.transcript;
      };

      const whole = handler((await load(false)).asr);
      await whole.handle({ id: 1, type: 'load', modelId: MODEL, device: 'wasm', allowHub: false });
      const { asr, sessions } = await load(true);
      const staged = handler(asr);
      await staged.handle({ id: 1, type: 'load', modelId: MODEL, device: 'wasm', allowHub: false });
      const expected = await text(whole, 2);
      expect(expected.text.toLowerCase()).toContain('ask not');
      expect(await text(staged, 2)).toEqual(expected);

      // Flag this decode's id while the encoder's first stage runs: no later stage runs.
      const encoder = sessions.model as StagedEncoder;
      const stages = (encoder as unknown as { stages: OrtSession[] }).stages;
      const cancel = new Int32Array(1);
      const ran: number[] = [];
      stages.forEach((stage, i) => {
        const run = stage.run.bind(stage);
        stages[i] = Object.assign(Object.create(stage) as OrtSession, {
          run: (feeds: Record<string, unknown>) => {
            ran.push(i);
            if (i === 0) Atomics.store(cancel, 0, 3);
            return run(feeds);
          }
        });
      });
      await staged.handle({ id: 3, type: 'transcribe', audio, language: 'english', cancel });
      const cancelled = staged.last();
      expect(cancelled?.type === 'error' && cancelled.code).toBe('cancelled');
      expect(ran).toEqual([0]);
      // The next decode (another id in the flag) runs every stage and gives the same text.
      ran.length = 0;
      await staged.handle({ id: 4, type: 'transcribe', audio, language: 'english', cancel });
      expect(ran).toEqual([0, 1, 2, 3, 4]);
      const after = staged.last();
      expect(after?.type === 'result' && after.transcript.text).toBe(expected.text);
    }
  );
});
