/**
 * Downloaded models and the speech runtime in Cache Storage: how much space each takes, making a
 * model available offline, and removing it. Files live in the service worker's versioned caches
 * (MODEL_CACHE, ORT_CACHE); copies Transformers.js may have put in its own cache (an earlier
 * version of the app kept them there) are counted and removed with the model.
 */
import pins from '../../../models/manifest.json';
import { MODEL_CACHE, ORT_CACHE, TRANSFORMERS_CACHE } from './cache-names';

/** A model (or the runtime) as settings shows it. */
export interface CachedModel {
  id: string;
  label: string;
  role: string;
  /** Bytes of every file when complete (null: unknown until downloaded). */
  totalBytes: number | null;
  /** Bytes stored now, over every cache. */
  cachedBytes: number;
  /** Whether every file is stored, so it works offline. */
  complete: boolean;
  urls: string[];
}

interface PinnedModel {
  id: string;
  role: string;
  files: { path: string; bytes: number }[];
}

/** Files of the speech runtime, as the transcription worker asks for them. */
export const ORT_FILES = [
  '/ort/ort-wasm-simd-threaded.asyncify.mjs',
  '/ort/ort-wasm-simd-threaded.asyncify.wasm'
];
/** Id under which the runtime is listed. */
export const RUNTIME_ID = 'onnxruntime-web';

const cachesAvailable = () => typeof caches !== 'undefined';

/** The pinned files of a model, as URLs of this origin. */
export function modelUrls(id: string): string[] {
  const model = (pins.models as PinnedModel[]).find((m) => m.id === id);
  return model ? model.files.map((f) => `/models/${model.id}/${f.path}`) : [];
}

async function sizeOf(response: Response): Promise<number> {
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
}

/** Bytes stored for each URL over the given caches (a URL stored twice counts twice: it is). */
async function stored(
  urls: string[],
  cacheNames: string[]
): Promise<{ bytes: number; complete: boolean }> {
  if (!cachesAvailable()) return { bytes: 0, complete: false };
  let bytes = 0;
  let complete = true;
  const open = await Promise.all(cacheNames.filter(Boolean).map((n) => caches.open(n)));
  for (const url of urls) {
    let found = false;
    for (const cache of open) {
      const hit = await cache.match(url);
      if (hit && hit.ok) {
        bytes += await sizeOf(hit);
        found = true;
      }
    }
    complete &&= found;
  }
  return { bytes, complete: complete && urls.length > 0 };
}

/** Every available model and the runtime, with the space they take. */
export async function listCachedModels(availableIds: string[]): Promise<CachedModel[]> {
  const out: CachedModel[] = [];
  for (const model of pins.models as PinnedModel[]) {
    if (!availableIds.includes(model.id)) continue;
    const urls = modelUrls(model.id);
    const { bytes, complete } = await stored(urls, [MODEL_CACHE, TRANSFORMERS_CACHE]);
    const label =
      model.role === 'asr'
        ? `Speech model ${model.id}`
        : model.role === 'vad'
          ? `Voice detection ${model.id}`
          : `Meaning search ${model.id}`;
    out.push({
      id: model.id,
      label,
      role: model.role,
      totalBytes: model.files.reduce((n, f) => n + f.bytes, 0),
      cachedBytes: bytes,
      complete,
      urls
    });
  }
  const ort = await stored(ORT_FILES, [ORT_CACHE]);
  out.push({
    id: RUNTIME_ID,
    label: 'Speech runtime (onnxruntime-web)',
    role: 'runtime',
    totalBytes: null,
    cachedBytes: ort.bytes,
    complete: ort.complete,
    urls: ORT_FILES
  });
  return out;
}

/**
 * Stores every file of a model (or the runtime) so it works offline. Files already stored are
 * skipped; the rest are fetched (usually from the HTTP cache right after the model was loaded).
 */
export async function makeAvailableOffline(
  model: Pick<CachedModel, 'id' | 'urls'>,
  onFile?: (done: number, total: number) => void
): Promise<void> {
  if (!cachesAvailable()) throw new Error('This browser cannot keep files for offline use.');
  const cache = await caches.open(model.id === RUNTIME_ID ? ORT_CACHE : MODEL_CACHE);
  const legacy = await caches.open(TRANSFORMERS_CACHE);
  let done = 0;
  for (const url of model.urls) {
    if (!(await cache.match(url)) && !(await legacy.match(url))) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} could not be downloaded (${response.status}).`);
      await cache.put(url, response);
    }
    onFile?.(++done, model.urls.length);
  }
}

/** Removes a model's (or the runtime's) files from every cache; it downloads again when next needed. */
export async function removeCachedModel(id: string): Promise<void> {
  if (!cachesAvailable()) return;
  const names = id === RUNTIME_ID ? [ORT_CACHE] : [MODEL_CACHE, TRANSFORMERS_CACHE];
  const prefix = id === RUNTIME_ID ? '/ort/' : `/models/${id}/`;
  for (const name of names) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys())
      if (new URL(request.url).pathname.startsWith(prefix)) await cache.delete(request);
  }
}
