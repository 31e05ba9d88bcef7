/** A stretch of transcript with its position in the audio, in seconds. */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

/** The result of transcribing one recording. */
export interface Transcript {
  text: string;
  segments: TranscriptSegment[];
  language: string;
  modelId: string;
  /**
   * The decoder's tokens (forced-prefix.ts form), when one timestamped pass produced this text:
   * a later decode of the same audio and more can start from them.
   */
  tokens?: number[];
}

/** Where inference runs. */
export type AsrDevice = 'webgpu' | 'wasm' | 'cpu';
