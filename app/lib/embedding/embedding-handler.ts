/**
 * The embedding worker's logic, free of worker globals so it runs under test in Node with a real
 * model: a lazily loaded pipeline singleton (switching models disposes the old one), a warm-up
 * after load, and one inference at a time with search queries served before indexing batches.
 */
import type { EmbeddingRequest, EmbeddingResponse } from './protocol';

/** The slice of a Transformers.js feature-extraction pipeline this handler uses. */
export interface FeatureExtractor {
  (
    texts: string[],
    options: { pooling: 'mean'; normalize: boolean }
  ): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  dispose?(): Promise<void>;
}

/** Raw progress info as Transformers.js reports it. */
export interface EmbedderLoaderProgress {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/** Loads a pipeline; injected so the worker and tests configure Transformers.js their own way. */
export type EmbedderLoader = (
  modelId: string,
  allowHub: boolean,
  onProgress: (p: EmbedderLoaderProgress) => void
) => Promise<FeatureExtractor>;

const MAX_TEXTS = 256;

/** Creates the message handler; `post` sends a response (the vectors' buffer is transferable). */
export function createEmbeddingHandler(
  loader: EmbedderLoader,
  post: (message: EmbeddingResponse) => void
): (request: EmbeddingRequest) => Promise<void> {
  let loaded: { modelId: string; dims: number; extractor: FeatureExtractor } | null = null;
  // One job at a time (onnxruntime sessions are not re-entrant): loads first, then queries, then
  // indexing batches.
  const loads: (() => Promise<void>)[] = [];
  const queries: (() => Promise<void>)[] = [];
  const batches: (() => Promise<void>)[] = [];
  let running = false;
  const next = () => loads.shift() ?? queries.shift() ?? batches.shift();

  const pump = async () => {
    if (running) return;
    running = true;
    try {
      for (let job = next(); job; job = next()) await job();
    } finally {
      running = false;
    }
  };

  const enqueue = (queue: (() => Promise<void>)[], work: () => Promise<void>) =>
    new Promise<void>((resolve) => {
      queue.push(() => work().then(resolve));
      void pump();
    });

  const load = async (request: Extract<EmbeddingRequest, { type: 'load' }>) => {
    if (loaded?.modelId === request.modelId) {
      post({
        id: request.id,
        type: 'loaded',
        modelId: loaded.modelId,
        dims: loaded.dims,
        loadMs: 0
      });
      return;
    }
    const previous = loaded;
    loaded = null;
    await previous?.extractor.dispose?.();
    const started = performance.now();
    try {
      const extractor = await loader(request.modelId, request.allowHub, (p) =>
        post({
          id: request.id,
          type: 'progress',
          file: p.file ?? '',
          status: p.status,
          loaded: p.loaded ?? 0,
          total: p.total ?? 0
        })
      );
      // Warm-up: the first run compiles kernels; pay that now, not on the first search.
      const probe = await extractor(['warm up'], { pooling: 'mean', normalize: true });
      const dims = probe.dims.at(-1) ?? 0;
      loaded = { modelId: request.modelId, dims, extractor };
      post({
        id: request.id,
        type: 'loaded',
        modelId: request.modelId,
        dims,
        loadMs: Math.round(performance.now() - started)
      });
    } catch (error) {
      post({
        id: request.id,
        type: 'error',
        code: 'model_load_failed',
        message: `The meaning-search model ${request.modelId} could not be loaded: ${messageOf(error)}`
      });
    }
  };

  const embed = async (request: Extract<EmbeddingRequest, { type: 'embed' }>) => {
    if (!loaded) {
      post({
        id: request.id,
        type: 'error',
        code: 'model_not_loaded',
        message: 'The meaning-search model is not loaded.'
      });
      return;
    }
    const started = performance.now();
    try {
      const out = await loaded.extractor(request.texts, { pooling: 'mean', normalize: true });
      const vectors = Float32Array.from(out.data);
      post({
        id: request.id,
        type: 'embedded',
        vectors,
        dims: loaded.dims,
        count: request.texts.length,
        elapsedMs: Math.round(performance.now() - started)
      });
    } catch (error) {
      post({
        id: request.id,
        type: 'error',
        code: 'embedding_failed',
        message: `Embedding failed: ${messageOf(error)}`
      });
    }
  };

  return async (request) => {
    if (request.type === 'load') return enqueue(loads, () => load(request));
    if (request.type === 'embed') {
      const texts = request.texts;
      if (
        !Array.isArray(texts) ||
        texts.length === 0 ||
        texts.length > MAX_TEXTS ||
        texts.some((t) => typeof t !== 'string')
      ) {
        post({
          id: request.id,
          type: 'error',
          code: 'bad_request',
          message: `An embed request needs 1 to ${MAX_TEXTS} texts.`
        });
        return;
      }
      return enqueue(request.priority === 'query' ? queries : batches, () => embed(request));
    }
    const unknown = request as { id?: number; type?: unknown };
    post({
      id: unknown.id ?? 0,
      type: 'error',
      code: 'bad_request',
      message: `Unknown request type ${String(unknown.type)}.`
    });
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
