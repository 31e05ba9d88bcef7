/**
 * The transcription worker's logic, free of worker globals so it runs under test in Node with the
 * real model: a lazily loaded pipeline singleton, a warm-up after load, and serialized inference
 * (one transcription at a time; onnxruntime sessions are not re-entrant and the CPU is shared).
 */
import type { AsrRequest, AsrResponse, ProgressResponse } from './protocol';
import { collapseRepetitions } from './hallucination';
import { planWindows, segmentsFromWords, stitchWindows, wordsFromSegments } from './stitch';
import type { AsrDevice, Transcript, TranscriptSegment } from './types';
import { Cancelled, decodeWhisper, hasWhisperParts, type WhisperParts } from './whisper-decode';

const SAMPLE_RATE = 16_000;
/** Longest audio decoded in one Whisper pass, and the overlap of consecutive windows. */
export const WINDOW_SECONDS = 28;
export const OVERLAP_SECONDS = 4;

/** The slice of a Transformers.js ASR pipeline this handler uses. */
export interface AsrPipeline {
  (audio: Float32Array, options: Record<string, unknown>): Promise<unknown>;
  dispose?(): Promise<void>;
  /** Set by the loader when the encoder takes windows shorter than 30 s (encoder-window.ts). */
  variableEncoder?: boolean;
}

/** Raw progress info as Transformers.js reports it. */
export interface LoaderProgress {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/** Loads a pipeline; injected so the worker and tests configure Transformers.js their own way. */
export type PipelineLoader = (
  modelId: string,
  device: AsrDevice,
  allowHub: boolean,
  onProgress: (p: LoaderProgress) => void
) => Promise<AsrPipeline>;

/** Creates the message handler. `post` sends a response (with transferables). */
export function createAsrHandler(
  loader: PipelineLoader,
  post: (message: AsrResponse) => void,
  options: { webGpuAvailable: () => Promise<boolean> } = {
    webGpuAvailable: () => Promise.resolve(false)
  }
): (request: AsrRequest) => Promise<void> {
  let loaded: { modelId: string; device: AsrDevice; pipeline: AsrPipeline } | null = null;
  // Every job (load or transcribe) runs after the previous one settles.
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (request: Extract<AsrRequest, { type: 'load' }>) => {
    if (
      loaded?.modelId === request.modelId &&
      (request.device === 'auto' || request.device === loaded.device)
    ) {
      post({
        id: request.id,
        type: 'loaded',
        modelId: loaded.modelId,
        device: loaded.device,
        loadMs: 0
      });
      return;
    }
    await loaded?.pipeline.dispose?.();
    loaded = null;
    const started = performance.now();
    const candidates: AsrDevice[] =
      request.device !== 'auto'
        ? [request.device]
        : (await options.webGpuAvailable())
          ? ['webgpu', 'wasm']
          : ['wasm'];
    let lastError: unknown;
    for (const device of candidates) {
      try {
        const pipeline = await loader(request.modelId, device, request.allowHub, (p) =>
          post(progressMessage(request.id, p))
        );
        // Warm-up: the first run compiles kernels and allocates; pay that now, not on the user's words.
        await pipeline(new Float32Array(SAMPLE_RATE), {
          language: 'en',
          task: 'transcribe',
          max_new_tokens: 4
        });
        loaded = { modelId: request.modelId, device, pipeline };
        post({
          id: request.id,
          type: 'loaded',
          modelId: request.modelId,
          device,
          loadMs: performance.now() - started,
          variableEncoder: pipeline.variableEncoder === true
        });
        return;
      } catch (err) {
        lastError = err;
      }
    }
    post({
      id: request.id,
      type: 'error',
      code: 'model_load_failed',
      message: `The speech model could not be loaded: ${describe(lastError)}`
    });
  };

  const transcribe = async (request: Extract<AsrRequest, { type: 'transcribe' }>) => {
    if (!loaded) {
      post({
        id: request.id,
        type: 'error',
        code: 'model_not_loaded',
        message: 'The speech model is not loaded yet.'
      });
      return;
    }
    if (!(request.audio instanceof Float32Array) || request.audio.length === 0) {
      post({
        id: request.id,
        type: 'error',
        code: 'bad_request',
        message: 'There is no audio to transcribe.'
      });
      return;
    }
    const started = performance.now();
    try {
      const audioSeconds = request.audio.length / SAMPLE_RATE;
      const transcript = await runTranscription(loaded.pipeline, request, loaded.modelId);
      post({
        id: request.id,
        type: 'result',
        transcript,
        audioSeconds,
        elapsedMs: performance.now() - started
      });
    } catch (err) {
      post(
        err instanceof Cancelled
          ? { id: request.id, type: 'error', code: 'cancelled', message: err.message }
          : {
              id: request.id,
              type: 'error',
              code: 'transcription_failed',
              message: `Transcription failed: ${describe(err)}`
            }
      );
    }
  };

  return (request) => {
    const job = queue.then(() => (request.type === 'load' ? load(request) : transcribe(request)));
    queue = job.catch(() => undefined);
    return job;
  };
}

/**
 * Transcribes with the real decoder (prompt tokens, one pass per window, long audio in overlapping
 * windows stitched back together) when the pipeline exposes its parts; test fakes go through the
 * plain pipeline call.
 */
async function runTranscription(
  pipeline: AsrPipeline,
  request: Extract<AsrRequest, { type: 'transcribe' }>,
  modelId: string
): Promise<Transcript> {
  const { audio, language } = request;
  const audioSeconds = audio.length / SAMPLE_RATE;
  if (!hasWhisperParts(pipeline)) {
    const output = await pipeline(audio, {
      language,
      task: 'transcribe',
      return_timestamps: true,
      chunk_length_s: 30,
      stride_length_s: 5
    });
    return toTranscript(output, audioSeconds, language, modelId);
  }
  const timestamps = request.timestamps ?? true;
  const windows = planWindows(
    0,
    audio.length,
    WINDOW_SECONDS * SAMPLE_RATE,
    OVERLAP_SECONDS * SAMPLE_RATE
  );
  const decoded = [];
  let single: Transcript | null = null;
  for (const [start, end] of windows) {
    const part = await decodeWindow(pipeline, audio.subarray(start, end), {
      language,
      prompt: request.prompt,
      timestamps: timestamps || windows.length > 1,
      variableEncoder: pipeline.variableEncoder === true,
      shouldStop: stopFlag(request),
      forced: windows.length === 1 ? request.forced : undefined,
      modelId
    });
    single = part;
    const offset = start / SAMPLE_RATE;
    decoded.push({
      start: offset,
      end: end / SAMPLE_RATE,
      words: wordsFromSegments(
        part.segments.map((s) => ({ ...s, start: s.start + offset, end: s.end + offset }))
      )
    });
  }
  if (windows.length === 1 && single) {
    const segments = single.segments
      .map((s) => ({ ...s, text: collapseRepetitions(s.text) }))
      .filter((s) => s.text !== '');
    const text = collapseRepetitions(single.text);
    // Tokens stand for the text only while nothing was taken out of it.
    const tokens = text === single.text ? single.tokens : undefined;
    return { ...single, text, segments, tokens };
  }
  const words = stitchWindows(decoded).words;
  const text = collapseRepetitions(words.map((w) => w.text).join(' '));
  return { text, segments: segmentsFromWords(words), language, modelId };
}

/** Whether the page asked to stop this request (its id in the shared cancellation flag). */
function stopFlag(request: Extract<AsrRequest, { type: 'transcribe' }>) {
  const { cancel, id } = request;
  return cancel ? () => Atomics.load(cancel, 0) === id : undefined;
}

/** Speech left after Whisper's last timestamp that makes it decode the rest again. */
const SEEK_MIN_SECONDS = 2;

/**
 * Decodes one window (≤ 30 s). Whisper sometimes ends its output early (after a "Thanks." or a
 * long pause) with speech still ahead; as in Whisper's own sequential decoding, the rest of the
 * window is then decoded again from its last timestamp, so no passage is dropped.
 */
async function decodeWindow(
  pipeline: WhisperParts,
  audio: Float32Array,
  options: {
    language: string;
    prompt?: string;
    timestamps: boolean;
    variableEncoder: boolean;
    shouldStop?: () => boolean;
    forced?: readonly number[];
    modelId: string;
  }
): Promise<Transcript> {
  const seconds = audio.length / SAMPLE_RATE;
  const segments: TranscriptSegment[] = [];
  let offset = 0;
  let tokens: number[] | undefined;
  for (let pass = 0; pass < 4; pass++) {
    const rest = audio.subarray(Math.round(offset * SAMPLE_RATE));
    const output = await decodeWhisper(pipeline, rest, {
      ...options,
      forced: pass === 0 ? options.forced : undefined
    });
    // Tokens describe the window only when one pass decoded all of it.
    tokens = pass === 0 ? output.tokens : undefined;
    const part = toTranscript(output, rest.length / SAMPLE_RATE, options.language, options.modelId);
    segments.push(
      ...part.segments.map((s) => ({ ...s, start: s.start + offset, end: s.end + offset }))
    );
    const result = output as { chunks?: { timestamp: [number | null, number | null] }[] };
    const lastEnd = result.chunks?.at(-1)?.timestamp[1];
    // No closing timestamp (or none at all): Whisper decoded to the end of the audio.
    if (!options.timestamps || lastEnd == null || part.segments.length === 0) break;
    if (seconds - (offset + lastEnd) < SEEK_MIN_SECONDS || lastEnd < 1) break;
    offset += lastEnd;
  }
  const text = segments.map((s) => s.text).join(' ');
  return {
    text,
    segments: segments.length || !text ? segments : [{ start: 0, end: seconds, text }],
    language: options.language,
    modelId: options.modelId,
    ...(tokens ? { tokens } : {})
  };
}

function progressMessage(id: number, p: LoaderProgress): ProgressResponse {
  const status =
    (['initiate', 'download', 'progress', 'done', 'ready'] as const).find((s) => s === p.status) ??
    'progress';
  return {
    id,
    type: 'progress',
    file: p.file ?? '',
    status,
    loaded: p.loaded ?? 0,
    total: p.total ?? 0
  };
}

/** Normalises a Transformers.js ASR output to a {@link Transcript}. */
export function toTranscript(
  output: unknown,
  audioSeconds: number,
  language: string,
  modelId: string
): Transcript {
  const result = (Array.isArray(output) ? output[0] : output) as {
    text?: string;
    chunks?: { timestamp: [number | null, number | null]; text: string }[];
  };
  const text = (result?.text ?? '').trim();
  const segments: TranscriptSegment[] = (result?.chunks ?? [])
    .map((chunk) => ({
      start: chunk.timestamp[0] ?? 0,
      end: Math.min(audioSeconds, chunk.timestamp[1] ?? audioSeconds),
      text: chunk.text.trim()
    }))
    .filter((s) => s.text.length > 0);
  if (segments.length === 0 && text) segments.push({ start: 0, end: audioSeconds, text });
  return { text, segments, language, modelId };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
