/**
 * AudioWorklet processor: turns the microphone's render quanta into 16 kHz mono chunks of 100 ms,
 * each posted with its RMS level for the meter. Runs on the audio rendering thread, so it only
 * converts and forwards; everything else happens on the main thread.
 */
import { StreamingResampler } from './resample';

declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** Samples per posted chunk: 100 ms at 16 kHz. */
const CHUNK = 1600;

class PcmCaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler = new StreamingResampler(sampleRate, 16_000);
  private pending = new Float32Array(CHUNK);
  private filled = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<{ type: string }>) => {
      if (event.data.type === 'flush') {
        this.post(this.pending.slice(0, this.filled));
        this.filled = 0;
        this.port.postMessage({ type: 'flushed' });
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0 || !channels[0]) return true;
    const frames = channels[0].length;
    const mono = new Float32Array(frames);
    for (const channel of channels) {
      for (let i = 0; i < frames; i++)
        mono[i] = (mono[i] ?? 0) + (channel[i] ?? 0) / channels.length;
    }
    const converted = this.resampler.process(mono);
    let offset = 0;
    while (offset < converted.length) {
      const take = Math.min(CHUNK - this.filled, converted.length - offset);
      this.pending.set(converted.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === CHUNK) {
        this.post(this.pending);
        this.pending = new Float32Array(CHUNK);
        this.filled = 0;
      }
    }
    return true;
  }

  private post(samples: Float32Array): void {
    let sum = 0;
    for (const s of samples) sum += s * s;
    const rms = samples.length ? Math.sqrt(sum / samples.length) : 0;
    this.port.postMessage({ type: 'chunk', samples, rms }, [samples.buffer]);
  }
}

registerProcessor('pcm-capture', PcmCaptureProcessor);
