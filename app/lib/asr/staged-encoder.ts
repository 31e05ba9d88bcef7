/**
 * An encoder session that runs Whisper's encoder stage by stage (encoder-split.ts) and can stop
 * between stages: Transformers.js calls it as it calls the whole encoder's session. A decode that
 * is cancelled during its encoder pass then hands on the unfinished state after at most one
 * stage; its decoder is stopped at the first token by the decode's own stop check
 * (whisper-decode.ts), so nothing computed from that state is ever shown.
 */
import { encoderStages } from './encoder-split';

/** The part of an onnxruntime InferenceSession (web or node) used here and by Transformers.js. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, unknown>>;
  release(): Promise<void>;
}

/** The whole encoder's session, stage by stage. */
export class StagedEncoder implements OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Transformers.js keeps its per-session settings here (createInferenceSession). */
  readonly config: unknown;
  private shouldStop: (() => boolean) | undefined;

  /** `config`: the whole encoder session's, which Transformers.js may read. */
  constructor(
    private readonly stages: OrtSession[],
    config?: unknown
  ) {
    // The first stage takes the encoder's input, the last gives its output (encoder-split.ts).
    this.inputNames = stages[0]!.inputNames;
    this.outputNames = stages.at(-1)!.outputNames;
    this.config = config;
  }

  /**
   * From now on, `check` is asked before every stage after the first; when it answers true the
   * remaining stages are skipped. Cleared with `undefined` (one decode at a time: asr-handler.ts).
   */
  stopWhen(check: (() => boolean) | undefined): void {
    this.shouldStop = check;
  }

  async run(feeds: Record<string, unknown>): Promise<Record<string, unknown>> {
    let value = feeds[this.inputNames[0]!];
    for (const [i, stage] of this.stages.entries()) {
      if (i > 0 && this.shouldStop?.()) break;
      value = (await stage.run({ [stage.inputNames[0]!]: value }))[stage.outputNames[0]!];
    }
    // Every stage's output has the encoder output's shape (the residual stream).
    return { [this.outputNames[0]!]: value };
  }

  async release(): Promise<void> {
    for (const stage of this.stages) await stage.release();
  }
}

/** A loaded Transformers.js pipeline's sessions (internal API, typed loosely). */
export interface WithSessions {
  model?: { sessions?: Record<string, OrtSession & { config?: unknown }> };
}

/**
 * Replaces a loaded pipeline's encoder session with a {@link StagedEncoder} of `bytes` (the model
 * the session was built from); the stages are created by the same onnxruntime as the session
 * (its class's `create`), with `options`. Returns false, leaving the pipeline as it was, when the
 * graph cannot be split or a stage cannot be created.
 */
export async function stageEncoder(
  pipeline: unknown,
  bytes: Uint8Array,
  options: object = {}
): Promise<boolean> {
  const sessions = (pipeline as WithSessions).model?.sessions;
  const whole = sessions?.model;
  const Session = whole?.constructor as
    { create?(model: Uint8Array, options: object): Promise<OrtSession> } | undefined;
  if (!sessions || !whole || typeof Session?.create !== 'function') return false;
  let models: Uint8Array[];
  try {
    models = encoderStages(bytes);
  } catch {
    return false;
  }
  const stages: OrtSession[] = [];
  try {
    for (const model of models) stages.push(await Session.create(model, options));
  } catch {
    for (const stage of stages) await stage.release();
    return false;
  }
  sessions.model = new StagedEncoder(stages, whole.config);
  await whole.release();
  return true;
}

/** The stop hook of a pipeline's encoder, when it runs in stages. */
export function encoderStopHook(
  pipeline: unknown
): ((check: (() => boolean) | undefined) => void) | null {
  const encoder = (pipeline as WithSessions).model?.sessions?.model;
  return encoder instanceof StagedEncoder ? (check) => encoder.stopWhen(check) : null;
}
