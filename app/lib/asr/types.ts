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
}

/** Where inference runs. */
export type AsrDevice = 'webgpu' | 'wasm' | 'cpu';
