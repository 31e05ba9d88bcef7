/**
 * The typed message protocol between the app and the transcription worker. Every request carries
 * an `id`; every response echoes it, so the client can match answers to calls.
 */
import type { AsrDevice, Transcript } from './types';

/** Ask the worker to load (or switch to) a model. */
export interface LoadRequest {
  id: number;
  type: 'load';
  modelId: string;
  /** 'auto' tries WebGPU first and falls back to WASM. */
  device: AsrDevice | 'auto';
  /** Fetch from the Hugging Face Hub instead of the app's own /models/ (user opt-in). */
  allowHub: boolean;
  /** WebAssembly threads (needs cross-origin isolation; fixed at the worker's first load). */
  threads?: number;
}

/** Transcribe 16 kHz mono samples with the loaded model. */
export interface TranscribeRequest {
  id: number;
  type: 'transcribe';
  audio: Float32Array;
  /** Whisper language name or code, e.g. 'english' or 'en'. */
  language: string;
  /** Custom vocabulary passed to Whisper as prompt tokens. */
  prompt?: string;
  /** Segment timestamps (default true); partial decodes skip them to save time. */
  timestamps?: boolean;
  /** Tokens the output starts with (forced-prefix.ts form; timestamped audio ≤ 30 s only). */
  forced?: number[];
  /**
   * Cancellation flag shared with the page (over a SharedArrayBuffer: the worker is busy inside
   * the decode and reads no messages until it ends). Holding this request's id means "stop".
   */
  cancel?: Int32Array;
}

/** Every request the worker accepts. */
export type AsrRequest = LoadRequest | TranscribeRequest;

/** Download/initialisation progress of one model file. */
export interface ProgressResponse {
  id: number;
  type: 'progress';
  file: string;
  status: 'initiate' | 'download' | 'progress' | 'done' | 'ready';
  loaded: number;
  total: number;
}

/** The model is loaded and warmed up. */
export interface LoadedResponse {
  id: number;
  type: 'loaded';
  modelId: string;
  device: AsrDevice;
  loadMs: number;
  /** WebAssembly threads in use (1 without cross-origin isolation). */
  threads?: number;
  /** Whether decodes use a window sized to the audio (else Whisper's padded 30 s). */
  variableEncoder?: boolean;
}

/** A finished transcription. */
export interface ResultResponse {
  id: number;
  type: 'result';
  transcript: Transcript;
  audioSeconds: number;
  elapsedMs: number;
}

/** Stable error codes from the worker. */
export type AsrErrorCode =
  'model_load_failed' | 'model_not_loaded' | 'transcription_failed' | 'bad_request' | 'cancelled';

/** A request failed; `message` is fit to show. */
export interface ErrorResponse {
  id: number;
  type: 'error';
  code: AsrErrorCode;
  message: string;
}

/** Every message the worker sends. */
export type AsrResponse = ProgressResponse | LoadedResponse | ResultResponse | ErrorResponse;
