/**
 * Silero VAD v5 on onnxruntime (web in the browser, node in scripts and tests: both expose the same
 * `InferenceSession`/`Tensor` API, so the caller passes its runtime in). v5 expects each 512-sample
 * frame preceded by the previous frame's last 64 samples (input [1, 576]); without that context
 * its probabilities sag on real speech.
 */
import { VAD_FRAME, VAD_RATE } from './segmenter';

const CONTEXT = 64;

/** The slice of onnxruntime's Tensor used here. */
export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** The slice of onnxruntime's InferenceSession used here. */
export interface OrtSessionLike {
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release?(): Promise<void>;
}

/** Builds tensors; `new ort.Tensor(type, data, dims)` of either runtime. */
export type TensorFactory = (
  type: 'float32' | 'int64',
  data: Float32Array | BigInt64Array,
  dims: number[]
) => OrtTensorLike;

/** A stateful Silero v5 detector over one audio stream. */
export class SileroVad {
  private state = new Float32Array(2 * 128);
  private context = new Float32Array(CONTEXT);
  private readonly sr: OrtTensorLike;

  constructor(
    private readonly session: OrtSessionLike,
    private readonly tensor: TensorFactory
  ) {
    this.sr = tensor('int64', BigInt64Array.from([BigInt(VAD_RATE)]), []);
  }

  /** Forgets the stream (a new recording). */
  reset(): void {
    this.state = new Float32Array(2 * 128);
    this.context = new Float32Array(CONTEXT);
  }

  /** Speech probability of the next 512-sample frame. */
  async frame(samples: Float32Array): Promise<number> {
    if (samples.length !== VAD_FRAME) throw new RangeError(`A VAD frame is ${VAD_FRAME} samples.`);
    const input = new Float32Array(CONTEXT + VAD_FRAME);
    input.set(this.context);
    input.set(samples, CONTEXT);
    this.context = samples.slice(VAD_FRAME - CONTEXT);
    const out = await this.session.run({
      input: this.tensor('float32', input, [1, CONTEXT + VAD_FRAME]),
      state: this.tensor('float32', this.state, [2, 1, 128]),
      sr: this.sr
    });
    this.state = Float32Array.from(out.stateN!.data as Float32Array);
    return (out.output!.data as Float32Array)[0] ?? 0;
  }
}

/** Cuts a stream of arbitrary-length chunks into {@link VAD_FRAME}-sample frames. */
export class FrameCutter {
  private pending = new Float32Array(VAD_FRAME);
  private filled = 0;

  /** Frames completed by this chunk (the remainder waits for the next). */
  push(chunk: Float32Array): Float32Array[] {
    const frames: Float32Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(VAD_FRAME - this.filled, chunk.length - offset);
      this.pending.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === VAD_FRAME) {
        frames.push(this.pending);
        this.pending = new Float32Array(VAD_FRAME);
        this.filled = 0;
      }
    }
    return frames;
  }
}

/** Speech probabilities of a whole buffer, one per full frame (the file and eval path). */
export async function probabilities(
  vad: SileroVad,
  samples: Float32Array,
  onProgress?: (fraction: number) => void
): Promise<Float32Array> {
  const count = Math.floor(samples.length / VAD_FRAME);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = await vad.frame(samples.subarray(i * VAD_FRAME, (i + 1) * VAD_FRAME));
    if (onProgress && i % 200 === 0) onProgress(i / count);
  }
  return out;
}
