/**
 * A Whisper decoder session whose output projection runs outside onnxruntime, on the int8 matrix
 * the q8 export stores (int8-gemv.ts): the session is the decoder without its projection
 * (decoder-head.ts `detachedOutputProjection`), so its "logits" are the final hidden state, and
 * this wrapper turns the last token's hidden state into the vocabulary's logits.
 */
import { Int8Gemv } from './int8-gemv';
import type { OutputHead } from './decoder-head';
import type { OrtSession, WithSessions } from './staged-encoder';

interface FloatTensor {
  data: Float32Array;
  dims: readonly number[];
}

type TensorClass = new (type: 'float32', data: Float32Array, dims: number[]) => unknown;

/** The decoder session with its projection computed here; Transformers.js calls it as the session. */
export class Int8HeadDecoder implements OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Input and output descriptions, which Transformers.js reads (past key value names, types). */
  readonly inputMetadata: unknown;
  readonly outputMetadata: unknown;
  /** Transformers.js keeps its per-session settings here (createInferenceSession). */
  readonly config: unknown;

  constructor(
    private readonly session: OrtSession & {
      config?: unknown;
      inputMetadata?: unknown;
      outputMetadata?: unknown;
    },
    private readonly head: Int8Gemv,
    private readonly logitsName = 'logits'
  ) {
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
    this.inputMetadata = session.inputMetadata;
    this.outputMetadata = session.outputMetadata;
    this.config = session.config;
  }

  /**
   * Runs the decoder, then projects each sequence's last hidden state: the logits come back as
   * batch × 1 × vocabulary, the only position generation reads (Transformers.js takes the last).
   */
  async run(feeds: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out = await this.session.run(feeds);
    const hidden = out[this.logitsName] as FloatTensor;
    const [batch, steps, width] = hidden.dims as [number, number, number];
    if (width !== this.head.k) {
      throw new Error(`The decoder's hidden state has width ${width}, its head ${this.head.k}.`);
    }
    const rows = this.head.rows;
    const logits = new Float32Array(batch * rows);
    for (let b = 0; b < batch; b++) {
      const last = (b * steps + steps - 1) * width;
      this.head.multiply(hidden.data.subarray(last, last + width), logits.subarray(b * rows));
    }
    const Tensor = hidden.constructor as TensorClass;
    return { ...out, [this.logitsName]: new Tensor('float32', logits, [batch, 1, rows]) };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** The int8 kernel for a detached head, or null when this engine cannot run it. */
export function int8Head(head: OutputHead): Int8Gemv | null {
  try {
    return new Int8Gemv(head.weights, head.rows, head.k, head.scale, head.zero);
  } catch {
    return null;
  }
}

/**
 * Wraps a loaded pipeline's decoder session (built from a detached decoder) in an
 * {@link Int8HeadDecoder} with `kernel`. Throws when the pipeline has no such session: its
 * decoder outputs hidden states, so it cannot be used unwrapped.
 */
export function useInt8Head(pipeline: unknown, kernel: Int8Gemv): void {
  const sessions = (pipeline as WithSessions).model?.sessions;
  const decoder = sessions?.decoder_model_merged;
  if (!sessions || !decoder) throw new Error('The speech model has no decoder session to wrap.');
  sessions.decoder_model_merged = new Int8HeadDecoder(decoder, kernel);
}
