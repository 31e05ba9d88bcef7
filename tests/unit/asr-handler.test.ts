import { describe, expect, it } from 'vitest';
import {
  createAsrHandler,
  toTranscript,
  type AsrPipeline,
  type LoaderProgress,
  type PipelineLoader
} from '$lib/asr/asr-handler';
import type { AsrRequest, AsrResponse } from '$lib/asr/protocol';
import type { AsrDevice, TranscriptSegment } from '$lib/asr/types';
import { decodeWav } from '$lib/audio/wav';
import { clipPath, readArrayBuffer, speechManifest, speechSamples } from './helpers/app-files';
import { localTransformers } from './helpers/app-whisper';

const MODEL = 'Xenova/whisper-tiny';

/** Vitest types asymmetric matchers as `any`; this gives one the type it stands in for. */
const like = <T>(matcher: unknown): T => matcher as T;
const anyText = () => like<string>(expect.any(String));
const textContaining = (part: string) => like<string>(expect.stringContaining(part));
const responseLike = (fields: Partial<AsrResponse>) =>
  like<AsrResponse>(expect.objectContaining(fields));

describe('toTranscript', () => {
  it('maps chunks to trimmed segments', () => {
    const transcript = toTranscript(
      {
        text: ' And so my fellow Americans, ask not. ',
        chunks: [
          { timestamp: [0.4, 2.1], text: ' And so my fellow Americans,' },
          { timestamp: [2.1, 3.5], text: ' ask not.' }
        ]
      },
      11,
      'english',
      MODEL
    );
    expect(transcript).toEqual({
      text: 'And so my fellow Americans, ask not.',
      segments: [
        { start: 0.4, end: 2.1, text: 'And so my fellow Americans,' },
        { start: 2.1, end: 3.5, text: 'ask not.' }
      ],
      language: 'english',
      modelId: MODEL
    });
  });

  it('ends a chunk with a null end at the end of the audio', () => {
    const { segments } = toTranscript(
      {
        text: 'a b',
        chunks: [
          { timestamp: [0, 1], text: 'a' },
          { timestamp: [1, null], text: 'b' }
        ]
      },
      7.25,
      'en',
      MODEL
    );
    expect(segments.at(-1)).toEqual({ start: 1, end: 7.25, text: 'b' });
  });

  it('clamps a chunk end past the audio to its duration, and a null start to 0', () => {
    const { segments } = toTranscript(
      { text: 'x', chunks: [{ timestamp: [null, 30], text: 'x' }] },
      4,
      'en',
      MODEL
    );
    expect(segments).toEqual([{ start: 0, end: 4, text: 'x' }]);
  });

  it('drops empty and whitespace-only chunks', () => {
    const { segments } = toTranscript(
      {
        text: 'Hello there',
        chunks: [
          { timestamp: [0, 1], text: '' },
          { timestamp: [1, 2], text: ' Hello there' },
          { timestamp: [2, 3], text: '   ' }
        ]
      },
      3,
      'en',
      MODEL
    );
    expect(segments).toEqual([{ start: 1, end: 2, text: 'Hello there' }]);
  });

  it('makes one segment spanning the audio when there are no chunks', () => {
    expect(toTranscript({ text: ' Just text. ' }, 2.5, 'en', MODEL).segments).toEqual([
      { start: 0, end: 2.5, text: 'Just text.' }
    ]);
    expect(
      toTranscript(
        { text: 'Only empties', chunks: [{ timestamp: [0, 1], text: ' ' }] },
        1,
        'en',
        MODEL
      ).segments
    ).toEqual([{ start: 0, end: 1, text: 'Only empties' }]);
  });

  it('has no segments for silence', () => {
    expect(toTranscript({ text: '  ', chunks: [] }, 3, 'en', MODEL)).toEqual({
      text: '',
      segments: [],
      language: 'en',
      modelId: MODEL
    });
    expect(toTranscript(undefined, 3, 'en', MODEL).segments).toEqual([]);
  });

  it('reads the first output of a batched (array) result', () => {
    const transcript = toTranscript([{ text: 'first' }, { text: 'second' }], 1, 'en', MODEL);
    expect(transcript.text).toBe('first');
  });
});

/** A promise with its resolve and reject exposed. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise job and I/O callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

interface Harness {
  handle: (request: AsrRequest) => Promise<void>;
  posted: AsrResponse[];
  log: string[];
  loads: AsrDevice[];
}

/**
 * A handler with a fake loader whose pipeline records each call in `log`; `run` decides what a
 * call returns (default: a fixed text with one open-ended chunk).
 */
function harness(
  options: {
    webGpu?: boolean;
    failDevices?: AsrDevice[];
    failWarmUpOn?: AsrDevice[];
    progress?: LoaderProgress[];
    run?: (audio: Float32Array, options: Record<string, unknown>) => Promise<unknown>;
  } = {}
): Harness {
  const posted: AsrResponse[] = [];
  const log: string[] = [];
  const loads: AsrDevice[] = [];
  const loader: PipelineLoader = (modelId, device, _allowHub, onProgress) => {
    loads.push(device);
    for (const p of options.progress ?? []) onProgress(p);
    if (options.failDevices?.includes(device)) {
      return Promise.reject(new Error(`${device} is not available`));
    }
    const pipeline: AsrPipeline = async (audio, opts) => {
      const warmUp = audio.length === 16_000 && opts.max_new_tokens !== undefined;
      log.push(`${warmUp ? 'warmup' : 'run'}:${device}:start`);
      try {
        if (warmUp && options.failWarmUpOn?.includes(device)) throw new Error('warm-up failed');
        return await (options.run?.(audio, opts) ??
          Promise.resolve({ text: ' words', chunks: [{ timestamp: [0, null], text: ' words' }] }));
      } finally {
        log.push(`${warmUp ? 'warmup' : 'run'}:${device}:end`);
      }
    };
    pipeline.dispose = () => {
      log.push(`dispose:${modelId}:${device}`);
      return Promise.resolve();
    };
    return Promise.resolve(pipeline);
  };
  const handle = createAsrHandler(
    loader,
    (message) => {
      posted.push(message);
      log.push(`post:${message.type}`);
    },
    { webGpuAvailable: () => Promise.resolve(options.webGpu ?? false) }
  );
  return { handle, posted, log, loads };
}

const load = (id: number, device: AsrDevice | 'auto' = 'wasm', modelId = MODEL): AsrRequest => ({
  id,
  type: 'load',
  modelId,
  device,
  allowHub: false
});
const transcribe = (
  id: number,
  audio: Float32Array = new Float32Array(8000),
  language = 'english'
): AsrRequest => ({
  id,
  type: 'transcribe',
  audio,
  language
});

describe('createAsrHandler: loading', () => {
  it('warms the model up before it reports loaded', async () => {
    const h = harness();
    await h.handle(load(1));
    expect(h.log).toEqual(['warmup:wasm:start', 'warmup:wasm:end', 'post:loaded']);
    expect(h.posted).toEqual([
      responseLike({ id: 1, type: 'loaded', modelId: MODEL, device: 'wasm' })
    ]);
  });

  it("falls back to wasm when 'auto' finds WebGPU but it fails to load", async () => {
    const h = harness({ webGpu: true, failDevices: ['webgpu'] });
    await h.handle(load(1, 'auto'));
    expect(h.loads).toEqual(['webgpu', 'wasm']);
    expect(h.posted.at(-1)).toMatchObject({ type: 'loaded', device: 'wasm' });
  });

  it('falls back to wasm when the WebGPU warm-up fails', async () => {
    const h = harness({ webGpu: true, failWarmUpOn: ['webgpu'] });
    await h.handle(load(1, 'auto'));
    expect(h.loads).toEqual(['webgpu', 'wasm']);
    expect(h.posted.at(-1)).toMatchObject({ type: 'loaded', device: 'wasm' });
  });

  it("uses WebGPU for 'auto' when it works, and only wasm without it", async () => {
    const withGpu = harness({ webGpu: true });
    await withGpu.handle(load(1, 'auto'));
    expect(withGpu.loads).toEqual(['webgpu']);
    expect(withGpu.posted.at(-1)).toMatchObject({ type: 'loaded', device: 'webgpu' });

    const withoutGpu = harness({ webGpu: false });
    await withoutGpu.handle(load(1, 'auto'));
    expect(withoutGpu.loads).toEqual(['wasm']);
  });

  it('tries only the device asked for', async () => {
    const h = harness({ webGpu: true, failDevices: ['webgpu'] });
    await h.handle(load(3, 'webgpu'));
    expect(h.loads).toEqual(['webgpu']);
    expect(h.posted).toEqual([
      {
        id: 3,
        type: 'error',
        code: 'model_load_failed',
        message: textContaining('webgpu is not available')
      }
    ]);
  });

  it('reports the last error when every device fails', async () => {
    const h = harness({ webGpu: true, failDevices: ['webgpu', 'wasm'] });
    await h.handle(load(4, 'auto'));
    expect(h.posted).toEqual([
      {
        id: 4,
        type: 'error',
        code: 'model_load_failed',
        message: textContaining('wasm is not available')
      }
    ]);
  });

  it('forwards loader progress with the request id, before loaded', async () => {
    const h = harness({
      progress: [
        { status: 'initiate', file: 'config.json' },
        {
          status: 'progress',
          file: 'onnx/encoder_model_quantized.onnx',
          loaded: 5_000_000,
          total: 10_124_910
        },
        { status: 'done', file: 'onnx/encoder_model_quantized.onnx' },
        { status: 'ready' },
        { status: 'something-new', file: 'x' }
      ]
    });
    await h.handle(load(9));
    expect(h.posted).toEqual([
      { id: 9, type: 'progress', file: 'config.json', status: 'initiate', loaded: 0, total: 0 },
      {
        id: 9,
        type: 'progress',
        file: 'onnx/encoder_model_quantized.onnx',
        status: 'progress',
        loaded: 5_000_000,
        total: 10_124_910
      },
      {
        id: 9,
        type: 'progress',
        file: 'onnx/encoder_model_quantized.onnx',
        status: 'done',
        loaded: 0,
        total: 0
      },
      { id: 9, type: 'progress', file: '', status: 'ready', loaded: 0, total: 0 },
      { id: 9, type: 'progress', file: 'x', status: 'progress', loaded: 0, total: 0 },
      responseLike({ id: 9, type: 'loaded' })
    ]);
  });

  it('answers a repeated load of the same model at once, without loading again', async () => {
    const h = harness();
    await h.handle(load(1));
    await h.handle(load(2, 'auto'));
    expect(h.loads).toEqual(['wasm']);
    expect(h.posted.at(-1)).toEqual({
      id: 2,
      type: 'loaded',
      modelId: MODEL,
      device: 'wasm',
      loadMs: 0
    });
  });

  it('disposes the old pipeline when switching models', async () => {
    const h = harness();
    await h.handle(load(1));
    await h.handle(load(2, 'wasm', 'Xenova/whisper-base'));
    expect(h.loads).toEqual(['wasm', 'wasm']);
    expect(h.log).toContain(`dispose:${MODEL}:wasm`);
    expect(h.posted.at(-1)).toMatchObject({
      id: 2,
      type: 'loaded',
      modelId: 'Xenova/whisper-base'
    });
  });
});

describe('createAsrHandler: transcribing', () => {
  it('refuses to transcribe before a model is loaded', async () => {
    const h = harness();
    await h.handle(transcribe(1));
    expect(h.posted).toEqual([
      { id: 1, type: 'error', code: 'model_not_loaded', message: anyText() }
    ]);
    expect(h.log.filter((l) => l.startsWith('run'))).toEqual([]);
  });

  it('rejects empty audio as a bad request', async () => {
    const h = harness();
    await h.handle(load(1));
    await h.handle(transcribe(2, new Float32Array(0)));
    await h.handle(transcribe(3, [0.1, 0.2] as unknown as Float32Array));
    expect(h.posted.slice(1)).toEqual([
      { id: 2, type: 'error', code: 'bad_request', message: anyText() },
      { id: 3, type: 'error', code: 'bad_request', message: anyText() }
    ]);
    expect(h.log.filter((l) => l.startsWith('run'))).toEqual([]);
  });

  it('passes the language and timestamp options and reports the audio length', async () => {
    const seen: Record<string, unknown>[] = [];
    const h = harness({
      run: (_, opts) => {
        seen.push(opts);
        return Promise.resolve({
          text: ' Hi.',
          chunks: [{ timestamp: [0.2, null], text: ' Hi.' }]
        });
      }
    });
    await h.handle(load(1));
    await h.handle(transcribe(2, new Float32Array(24_000), 'french'));
    expect(seen.at(-1)).toMatchObject({
      language: 'french',
      task: 'transcribe',
      return_timestamps: true
    });
    const result = h.posted.at(-1);
    expect(result).toMatchObject({ id: 2, type: 'result', audioSeconds: 1.5 });
    if (result?.type !== 'result') throw new Error('expected a result');
    // The open-ended chunk ends where the 1.5 s of audio ends.
    expect(result.transcript).toEqual({
      text: 'Hi.',
      segments: [{ start: 0.2, end: 1.5, text: 'Hi.' }],
      language: 'french',
      modelId: MODEL
    });
  });

  it('queues a transcription sent while the model is still loading', async () => {
    const h = harness();
    const loading = h.handle(load(1));
    const transcribing = h.handle(transcribe(2));
    await Promise.all([loading, transcribing]);
    expect(h.posted.map((m) => m.type)).toEqual(['loaded', 'result']);
  });

  it('never runs two transcriptions at once', async () => {
    const gates = [deferred(), deferred()];
    let call = 0;
    const h = harness({
      run: async (audio) => {
        if (audio.length === 16_000) return { text: '' }; // warm-up
        await gates[call++]!.promise;
        return { text: 'done' };
      }
    });
    await h.handle(load(1));
    h.log.length = 0;
    const first = h.handle(transcribe(2));
    const second = h.handle(transcribe(3));
    await settle();
    // The second has not started while the first is still running.
    expect(h.log).toEqual(['run:wasm:start']);
    gates[0]!.resolve();
    await settle();
    expect(h.log).toEqual(['run:wasm:start', 'run:wasm:end', 'post:result', 'run:wasm:start']);
    gates[1]!.resolve();
    await Promise.all([first, second]);
    expect(h.log).toEqual([
      'run:wasm:start',
      'run:wasm:end',
      'post:result',
      'run:wasm:start',
      'run:wasm:end',
      'post:result'
    ]);
    expect(h.posted.slice(1).map((m) => m.id)).toEqual([2, 3]);
  });

  it('reports a failed transcription and keeps serving the next one', async () => {
    let call = 0;
    const h = harness({
      run: (audio) => {
        if (audio.length === 16_000) return Promise.resolve({ text: '' });
        if (call++ === 0) return Promise.reject(new Error('session run failed'));
        return Promise.resolve({ text: 'second time lucky' });
      }
    });
    await h.handle(load(1));
    await Promise.all([h.handle(transcribe(2)), h.handle(transcribe(3))]);
    expect(h.posted.slice(1)).toEqual([
      {
        id: 2,
        type: 'error',
        code: 'transcription_failed',
        message: 'Transcription failed: session run failed'
      },
      responseLike({ id: 3, type: 'result' })
    ]);
  });

  it('keeps serving after a failed load', async () => {
    let attempts = 0;
    const posted: AsrResponse[] = [];
    const handle = createAsrHandler(
      () => {
        if (attempts++ === 0) return Promise.reject(new Error('network down'));
        const pipeline: AsrPipeline = () => Promise.resolve({ text: 'ok' });
        return Promise.resolve(pipeline);
      },
      (m) => posted.push(m)
    );
    await handle(load(1));
    await handle(transcribe(2));
    await handle(load(3));
    await handle(transcribe(4));
    expect(posted.map((m) => (m.type === 'error' ? m.code : m.type))).toEqual([
      'model_load_failed',
      'model_not_loaded',
      'loaded',
      'result'
    ]);
  });
});

describe('createAsrHandler with the real Whisper tiny model', () => {
  it('transcribes the JFK clip with timestamps', { timeout: 60_000 }, async () => {
    const { env, pipeline } = await localTransformers();
    const loader: PipelineLoader = async (modelId, device, allowHub, onProgress) => {
      env.allowRemoteModels = allowHub;
      const asr = await pipeline('automatic-speech-recognition', modelId, {
        dtype: 'q8',
        device,
        progress_callback: (info: unknown) => onProgress(info as LoaderProgress)
      });
      return asr;
    };
    const posted: AsrResponse[] = [];
    const handle = createAsrHandler(loader, (m) => posted.push(m));

    const clip = speechManifest().find((c) => c.id === 'jfk-inaugural-1961');
    expect(clip).toBeDefined();
    const { sampleRate, samples } = decodeWav(readArrayBuffer(clipPath(clip!)));
    expect(sampleRate).toBe(16_000);

    // In Node, onnxruntime-node runs on the CPU.
    await handle({ id: 1, type: 'load', modelId: MODEL, device: 'cpu', allowHub: false });
    const loaded = posted.find((m) => m.type === 'loaded' || m.type === 'error');
    expect(loaded).toMatchObject({ id: 1, type: 'loaded', modelId: MODEL, device: 'cpu' });
    expect(posted.some((m) => m.type === 'progress')).toBe(true);

    await handle({ id: 2, type: 'transcribe', audio: samples, language: 'english' });
    const result = posted.at(-1);
    if (result?.type !== 'result')
      throw new Error(`expected a result, got ${JSON.stringify(result)}`);
    expect(result.audioSeconds).toBeCloseTo(clip!.seconds, 3);

    const { transcript } = result;
    const words = transcript.text.toLowerCase();
    for (const word of ['fellow', 'americans', 'country', 'ask not']) expect(words).toContain(word);
    expect(transcript.language).toBe('english');
    expect(transcript.modelId).toBe(MODEL);

    expectOrderedSegments(transcript.segments, result.audioSeconds);
    expect(
      transcript.segments
        .map((s) => s.text)
        .join(' ')
        .toLowerCase()
    ).toContain('country');

    // The JFK clip fits in one timestamped segment; a longer clip (same loaded model, second
    // request) shows that several segments come back in order.
    const longer = speechManifest().find((c) => c.id === 'mfa-cold-corpus3');
    expect(longer).toBeDefined();
    await handle({
      id: 3,
      type: 'transcribe',
      audio: decodeWav(readArrayBuffer(clipPath(longer!))).samples,
      language: 'english'
    });
    const second = posted.at(-1);
    if (second?.type !== 'result')
      throw new Error(`expected a result, got ${JSON.stringify(second)}`);
    expect(second.audioSeconds).toBeCloseTo(longer!.seconds, 3);
    expect(second.transcript.text.toLowerCase()).toContain('recording levels');
    expect(second.transcript.segments.length).toBeGreaterThanOrEqual(3);
    expectOrderedSegments(second.transcript.segments, second.audioSeconds);
  });
});

describe('cancelling a transcription (real Whisper tiny)', () => {
  it(
    'stops a decode whose id is in the shared flag, before or during it',
    { timeout: 60_000 },
    async () => {
      const { handle, posted } = await loadedTinyHandler();
      const audio = speechSamples('jfk-inaugural-1961');
      const cancel = new Int32Array(1);
      const outcome = (id: number) => {
        const m = posted.findLast((x) => x.id === id);
        return m?.type === 'error' ? m.code : m?.type;
      };

      // Flagged before it starts: nothing runs.
      cancel[0] = 2;
      await handle({ id: 2, type: 'transcribe', audio, language: 'english', cancel });
      expect(outcome(2)).toBe('cancelled');

      // Flagged while it runs (onnxruntime-node runs off the event loop, so the timer fires).
      const running = handle({ id: 3, type: 'transcribe', audio, language: 'english', cancel });
      setTimeout(() => Atomics.store(cancel, 0, 3), 100);
      await running;
      expect(outcome(3)).toBe('cancelled');

      // Another id in the flag: the decode runs to its end.
      await handle({ id: 4, type: 'transcribe', audio, language: 'english', cancel });
      expect(outcome(4)).toBe('result');
      const result = posted.findLast((x) => x.id === 4);
      if (result?.type !== 'result') throw new Error('expected a result');
      expect(result.transcript.text.toLowerCase()).toContain('ask not');
    }
  );
});

describe('starting a decode from earlier tokens (real Whisper tiny)', () => {
  it(
    'continues from forced tokens and gives the same text, segments and timestamps',
    { timeout: 60_000 },
    async () => {
      const { handle, posted } = await loadedTinyHandler();
      const audio = speechSamples('ls-1089-134686-0000');
      const transcript = async (id: number, forced?: number[]) => {
        await handle({ id, type: 'transcribe', audio, language: 'english', forced });
        const m = posted.findLast((x) => x.id === id);
        if (m?.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(m)}`);
        return m.transcript;
      };
      const full = await transcript(2);
      const tokens = full.tokens!;
      // Two timestamped segments: <|0.00|> text <|t|><|t|> text <|end|>.
      expect(tokens.filter((t) => t < 0).length).toBeGreaterThanOrEqual(4);
      expect(tokens[0]).toBe(-1);
      // Forced up to the middle of the second segment (across a timestamp pair).
      const secondStart = tokens.findIndex((t, i) => i > 0 && t < 0 && tokens[i + 1]! < 0);
      const forced = tokens.slice(0, secondStart + 5);
      const again = await transcript(3, forced);
      expect(again.tokens!.slice(0, forced.length)).toEqual(forced);
      expect(again.text).toBe(full.text);
      // Same segments; times within a few 20 ms steps (one batched pass over the forced tokens
      // rounds differently from token-by-token decoding).
      expect(again.segments.map((x) => x.text)).toEqual(full.segments.map((x) => x.text));
      again.segments.forEach((x, i) => {
        expect(Math.abs(x.start - full.segments[i]!.start)).toBeLessThan(0.1);
        expect(Math.abs(x.end - full.segments[i]!.end)).toBeLessThan(0.1);
      });
      // Text the audio does not hold, forced: it stays (the decoder continues after it).
      const wrong = await transcript(4, [-1, ...tokens.slice(1, 4).reverse()]);
      expect(wrong.text).not.toBe(full.text);
    }
  );
});

/** The ASR handler with the real Whisper tiny loaded (request id 1), and what it posted. */
async function loadedTinyHandler() {
  const { pipeline } = await localTransformers();
  const posted: AsrResponse[] = [];
  const handle = createAsrHandler(
    (modelId, device) => pipeline('automatic-speech-recognition', modelId, { dtype: 'q8', device }),
    (m) => posted.push(m)
  );
  await handle({ id: 1, type: 'load', modelId: MODEL, device: 'cpu', allowHub: false });
  return { handle, posted };
}

/** Segments are non-empty, in order, non-overlapping and inside the audio. */
function expectOrderedSegments(segments: TranscriptSegment[], audioSeconds: number): void {
  expect(segments.length).toBeGreaterThan(0);
  let previousEnd = 0;
  for (const segment of segments) {
    expect(segment.text.length).toBeGreaterThan(0);
    expect(segment.start).toBeGreaterThanOrEqual(previousEnd - 1e-6);
    expect(segment.end).toBeGreaterThan(segment.start);
    expect(segment.end).toBeLessThanOrEqual(audioSeconds);
    previousEnd = segment.end;
  }
}
