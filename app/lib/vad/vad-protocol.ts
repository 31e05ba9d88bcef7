/** Messages between the app and the VAD worker (vad.worker.ts). */

/** Requests: load the model, stream audio, or score a whole buffer (file import). */
export type VadRequest =
  | { type: 'load'; id: number; modelUrl: string }
  | { type: 'reset'; id: number }
  | { type: 'audio'; id: number; samples: Float32Array }
  | { type: 'trace'; id: number; samples: Float32Array };

/** Responses, each echoing its request's id. */
export type VadResponse =
  | { type: 'loaded'; id: number }
  | { type: 'done'; id: number }
  | { type: 'probabilities'; id: number; probabilities: Float32Array }
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'error'; id: number; message: string };
