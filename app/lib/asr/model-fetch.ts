/**
 * A `fetch` for Transformers.js (`env.fetch`) that hands Whisper's model files over edited in
 * memory: encoders with their positional embeddings made length-variable (encoder-window.ts), so
 * utterances decode on a window sized to them instead of the padded 30 s, and their attention
 * scores computed in int8 (encoder-attention.ts); decoders with their output projection
 * precomputed (decoder-head.ts), so a step no longer dequantizes 20 MB, or, when asked (wasm),
 * cut out to run on its int8 matrix (int8-head-decoder.ts). The files on the wire
 * (and their pinned sha256) stay the stock ones; each is edited once. Anything that cannot be
 * edited is passed through untouched and runs as exported.
 */
import {
  detachedOutputProjection,
  isWhisperDecoderFile,
  precomputedOutputProjection
} from './decoder-head';
import type { Int8Gemv } from './int8-gemv';
import { int8Head } from './int8-head-decoder';
import { isWhisperEncoderFile, variableLengthEncoder } from './encoder-window';
import { concat } from './onnx-fields';

/** Download progress of a file being edited (Transformers.js reports it only after the edit). */
export type ModelProgress = (p: { file: string; loaded: number; total: number }) => void;

/** The fetch Transformers.js calls (`env.fetch`): URLs only, never Request objects. */
export type ModelFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** The fetch function plus what it learned. */
export interface ModelFileFetch {
  fetch: ModelFetch;
  /** Whether the encoder at this URL prefix (a model's folder) was made length-variable. */
  variable(modelPrefix: string): boolean;
  /** That length-variable encoder's bytes, until {@link release}; null when there is none. */
  encoder(modelPrefix: string): Promise<Uint8Array | null>;
  /**
   * The output projection cut out of the decoder at this URL prefix (when `int8Head` asked for
   * it): its session then outputs the hidden state, which int8-head-decoder.ts must project.
   */
  decoderHead(modelPrefix: string): Int8Gemv | null;
  /** Forgets the edited bytes (after the model's sessions are built). */
  release(): void;
}

async function readAll(response: Response, onChunk: (loaded: number) => void) {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onChunk(loaded);
  }
  return concat(chunks);
}

/** An in-memory edit of a model file; `variable`: it makes the encoder length-variable. */
interface ModelEdit {
  apply: (bytes: Uint8Array) => Uint8Array;
  variable: boolean;
}

/** Options of {@link createModelFetch}. */
export interface ModelFetchOptions {
  /** Asked when a decoder is fetched: cut its projection out instead of precomputing it. */
  int8Head?: () => boolean;
}

/**
 * Wraps `base` (the real fetch); `onProgress` receives download progress of edited files.
 */
export function createModelFetch(
  base: ModelFetch,
  onProgress?: ModelProgress,
  options: ModelFetchOptions = {}
): ModelFileFetch {
  // Transformers.js asks for a file twice (metadata, then content): edit once.
  const edited = new Map<string, Promise<Uint8Array | Response>>();
  const variableUrls = new Set<string>();
  const heads = new Map<string, Int8Gemv>();

  /** The in-memory edit for a model file's URL, if any. */
  const editFor = (url: string): ModelEdit | null => {
    if (isWhisperEncoderFile(url)) return { apply: variableLengthEncoder, variable: true };
    if (!isWhisperDecoderFile(url)) return null;
    if (!options.int8Head?.()) return { apply: precomputedOutputProjection, variable: false };
    const detach = (bytes: Uint8Array) => {
      let detached: ReturnType<typeof detachedOutputProjection> | null = null;
      try {
        detached = detachedOutputProjection(bytes);
      } catch {
        // Another export: the float path below.
      }
      // The kernel is made before the session, so a decoder without its projection never runs
      // without one.
      const kernel = detached && int8Head(detached.head);
      if (!detached || !kernel) return precomputedOutputProjection(bytes);
      heads.set(url, kernel);
      return detached.model;
    };
    return { apply: detach, variable: false };
  };

  const load = async (url: string, edit: ModelEdit, init?: RequestInit) => {
    const response = await base(url, init);
    if (!response.ok) return response;
    const total = Number(response.headers.get('content-length') ?? 0);
    const file = url.replace(/^.*?\/(onnx\/[^?]+).*$/, '$1');
    const bytes = await readAll(response, (loaded) => onProgress?.({ file, loaded, total }));
    try {
      const rewritten = edit.apply(bytes);
      if (edit.variable) variableUrls.add(url);
      return rewritten;
    } catch {
      return bytes;
    }
  };

  const wrapped: ModelFetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.href;
    const edit = editFor(url);
    if (!edit || (init?.method && init.method !== 'GET')) {
      return base(input, init);
    }
    // A ranged probe wants headers only; the edited length is not known before the edit, so it
    // goes through (the size it reports is the stock file's, close enough for progress).
    if (new Headers(init?.headers).has('range')) return base(input, init);
    let pending = edited.get(url);
    if (!pending) {
      pending = load(url, edit, init);
      edited.set(url, pending);
    }
    const result = await pending;
    if (result instanceof Response) {
      edited.delete(url);
      return result;
    }
    return new Response(result.slice(), {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(result.length)
      }
    });
  };

  return {
    fetch: wrapped,
    variable: (prefix) => [...variableUrls].some((u) => u.includes(prefix)),
    encoder: async (prefix) => {
      const url = [...variableUrls].find((u) => u.includes(prefix));
      const result = url ? await edited.get(url) : undefined;
      return result instanceof Uint8Array ? result : null;
    },
    decoderHead: (prefix) => [...heads].find(([u]) => u.includes(prefix))?.[1] ?? null,
    release: () => {
      edited.clear();
      heads.clear();
    }
  };
}
