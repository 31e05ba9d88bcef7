/**
 * Names of every Cache Storage cache the app uses, in one place for the service worker (which
 * fills them), the settings page (which shows their size and empties them) and "Delete all my data".
 */

/** Prefix of the precached app shell; Workbox appends the scope. */
export const SHELL_CACHE_PREFIX = 'lva';
/** Model files, named after their pins: a new app version keeps a model unless its pins changed. */
export const MODEL_CACHE: string = __LVA_CACHES__.models;
/** onnxruntime-web's wasm, named after its package version. */
export const ORT_CACHE: string = __LVA_CACHES__.ort;
/** Transformers.js keeps its own copy of model files here (when its browser cache is on). */
export const TRANSFORMERS_CACHE = 'transformers-cache';
/** The app version baked into the build. */
export const APP_VERSION: string = __LVA_APP_VERSION__;

/** Whether a cache name is an older version of the model or runtime caches (safe to delete). */
export function isStaleVersionedCache(name: string): boolean {
  return (
    (name.startsWith('lva-models-') && name !== MODEL_CACHE) ||
    (name.startsWith('lva-ort-') && name !== ORT_CACHE)
  );
}
