/**
 * The typed message protocol between the app and the embedding worker. Every request carries an
 * `id`; every response echoes it.
 */

/** Load (or switch to) a sentence-embedding model. */
export interface LoadEmbedderRequest {
  id: number;
  type: 'load';
  modelId: string;
  /** Fetch from the Hugging Face Hub instead of the app's own /models/ (user opt-in). */
  allowHub: boolean;
}

/**
 * Embed texts with the loaded model. `priority: 'query'` jumps ahead of queued indexing work, so a
 * search never waits behind a background batch.
 */
export interface EmbedRequest {
  id: number;
  type: 'embed';
  texts: string[];
  priority: 'query' | 'index';
}

/** Every request the worker accepts. */
export type EmbeddingRequest = LoadEmbedderRequest | EmbedRequest;

/** Download/initialisation progress of one model file. */
export interface EmbedderProgressResponse {
  id: number;
  type: 'progress';
  file: string;
  status: string;
  loaded: number;
  total: number;
}

/** The model is loaded and warmed up. */
export interface EmbedderLoadedResponse {
  id: number;
  type: 'loaded';
  modelId: string;
  dims: number;
  loadMs: number;
}

/** Unit-length vectors, row after row (`count` × `dims`), transferred. */
export interface EmbeddedResponse {
  id: number;
  type: 'embedded';
  vectors: Float32Array;
  dims: number;
  count: number;
  elapsedMs: number;
}

/** Stable error codes from the worker. */
export type EmbeddingErrorCode =
  'model_load_failed' | 'model_not_loaded' | 'embedding_failed' | 'bad_request';

/** A request failed; `message` is fit to show. */
export interface EmbedderErrorResponse {
  id: number;
  type: 'error';
  code: EmbeddingErrorCode;
  message: string;
}

/** Every message the worker sends. */
export type EmbeddingResponse =
  EmbedderProgressResponse | EmbedderLoadedResponse | EmbeddedResponse | EmbedderErrorResponse;
