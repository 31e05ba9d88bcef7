import { Hono } from 'hono';
import type { AppEnv } from '../env';

/**
 * Serves `/models/*` and `/ort/*`. Workers Static Assets refuses files over 25 MiB, and Whisper's
 * decoder and onnxruntime's WebGPU-capable wasm are larger, so the build splits such files into
 * parts plus a `<file>.parts.json` index (scripts/split-large-assets.ts). Small files are served
 * as ordinary assets; a split file is streamed back whole, with its exact length, part by part.
 */
const largeAssets = new Hono<AppEnv>();

interface PartsIndex {
  size: number;
  sha256: string;
  contentType: string;
  parts: string[];
}

/**
 * With single-page-application fallback, a missing asset comes back as index.html with status 200.
 * Model loaders probe for optional files and must see a real 404, never HTML posing as a model.
 */
function isFound(response: Response): boolean {
  return response.ok && !(response.headers.get('content-type') ?? '').startsWith('text/html');
}

const notFound = () =>
  new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });

largeAssets.on(['GET', 'HEAD'], '/*', async (c) => {
  const direct = await c.env.ASSETS.fetch(c.req.raw);
  if (isFound(direct) || direct.status === 304) return direct;
  const url = new URL(c.req.url);
  const indexUrl = new URL(`${url.pathname}.parts.json`, url);
  const indexResponse = await c.env.ASSETS.fetch(new Request(indexUrl));
  if (!isFound(indexResponse)) return notFound();
  const index = await indexResponse.json<PartsIndex>();
  const headers = {
    'content-type': index.contentType,
    'content-length': String(index.size),
    etag: `"${index.sha256}"`,
    'cache-control': 'public, max-age=3600'
  };
  if (c.req.method === 'HEAD') return new Response(null, { headers });
  if (c.req.header('if-none-match') === headers.etag)
    return new Response(null, { status: 304, headers });
  const { readable, writable } = new FixedLengthStream(index.size);
  const base = new URL('.', url);
  c.executionCtx.waitUntil(pipeParts(c.env.ASSETS, base, index.parts, writable));
  return new Response(readable, { headers });
});

async function pipeParts(
  assets: Fetcher,
  base: URL,
  parts: string[],
  writable: WritableStream<Uint8Array>
): Promise<void> {
  try {
    for (const part of parts) {
      const response = await assets.fetch(new Request(new URL(part, base)));
      if (!response.ok || !response.body) throw new Error(`missing part ${part}`);
      await response.body.pipeTo(writable, { preventClose: true });
    }
    await writable.close();
  } catch (err) {
    // Aborting makes the client see a failed download instead of a silently short file.
    await writable.abort(err);
  }
}

export default largeAssets;
