/**
 * A `fetch` for Transformers.js (`env.fetch`) that hands Whisper encoders over with their
 * positional embeddings made length-variable (see encoder-window.ts), so utterances decode on a
 * window sized to them instead of the padded 30 s. The file on the wire (and its pinned sha256)
 * stays the stock one; the edit happens in memory, once per file. Anything that cannot be edited
 * is passed through untouched and the model keeps its 30 s window.
 */
import { isWhisperEncoderFile, variableLengthEncoder } from './encoder-window';
import { concat } from './onnx-fields';

/** Download progress of a file being edited (Transformers.js reports it only after the edit). */
export type EncoderProgress = (p: { file: string; loaded: number; total: number }) => void;

/** The fetch Transformers.js calls (`env.fetch`): URLs only, never Request objects. */
export type ModelFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** The fetch function plus what it learned. */
export interface EncoderFetch {
  fetch: ModelFetch;
  /** Whether the encoder at this URL prefix (a model's folder) was made length-variable. */
  variable(modelPrefix: string): boolean;
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

/** Wraps `base` (the real fetch); `onProgress` receives download progress of edited files. */
export function createEncoderFetch(base: ModelFetch, onProgress?: EncoderProgress): EncoderFetch {
  // Transformers.js asks for a file twice (metadata, then content): edit once.
  const edited = new Map<string, Promise<{ bytes: Uint8Array; variable: boolean } | Response>>();
  const variableUrls = new Set<string>();

  const load = async (url: string, init?: RequestInit) => {
    const response = await base(url, init);
    if (!response.ok) return response;
    const total = Number(response.headers.get('content-length') ?? 0);
    const file = url.replace(/^.*?\/(onnx\/[^?]+).*$/, '$1');
    const bytes = await readAll(response, (loaded) => onProgress?.({ file, loaded, total }));
    try {
      const rewritten = variableLengthEncoder(bytes);
      variableUrls.add(url);
      return { bytes: rewritten, variable: true };
    } catch {
      return { bytes, variable: false };
    }
  };

  const wrapped: ModelFetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.href;
    if (!isWhisperEncoderFile(url) || (init?.method && init.method !== 'GET')) {
      return base(input, init);
    }
    // A ranged probe wants headers only; the edited length is not known before the edit, so it
    // goes through (the size it reports is the stock file's, close enough for progress).
    if (new Headers(init?.headers).has('range')) return base(input, init);
    let pending = edited.get(url);
    if (!pending) {
      pending = load(url, init);
      edited.set(url, pending);
    }
    const result = await pending;
    if (result instanceof Response) {
      edited.delete(url);
      return result;
    }
    return new Response(result.bytes.slice(), {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(result.bytes.length)
      }
    });
  };

  return {
    fetch: wrapped,
    variable: (prefix) => [...variableUrls].some((u) => u.includes(prefix)),
    release: () => edited.clear()
  };
}
