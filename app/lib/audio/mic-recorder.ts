import { MicError, micError, toMicError } from './mic-errors';
import workletUrl from './pcm-capture.worklet.ts?worker&url';

/** Callbacks of a running recording. */
export interface MicRecorderEvents {
  /** 100 ms of 16 kHz mono audio. */
  onChunk?(samples: Float32Array): void;
  /** RMS level of the latest chunk, 0..1. */
  onLevel?(rms: number): void;
  /** The device went away mid-recording (unplugged, permission revoked). */
  onInterrupted?(error: MicError): void;
}

type WorkletMessage = { type: 'chunk'; samples: Float32Array; rms: number } | { type: 'flushed' };

/** Captures the microphone as 16 kHz mono PCM through an AudioWorklet. */
export class MicRecorder {
  private readonly chunks: Float32Array[] = [];
  private stopped = false;

  private constructor(
    private readonly stream: MediaStream,
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    private readonly events: MicRecorderEvents
  ) {
    node.port.onmessage = (event: MessageEvent<WorkletMessage>) => {
      if (event.data.type !== 'chunk') return;
      this.chunks.push(event.data.samples);
      events.onChunk?.(event.data.samples);
      events.onLevel?.(Math.min(1, event.data.rms * 4));
    };
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        if (!this.stopped) events.onInterrupted?.(micError('mic_disconnected'));
      });
    }
  }

  /** Asks for the microphone and starts recording; throws a {@link MicError} in words. */
  static async start(events: MicRecorderEvents = {}): Promise<MicRecorder> {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      throw micError('mic_unsupported');
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          channelCount: 1,
          echoCancellation: true,
          // Whisper is trained on unprocessed speech; noise suppression smears soft onsets and
          // costs accuracy, while the VAD already keeps noise away from the decoder.
          noiseSuppression: false,
          autoGainControl: true
        }
      });
    } catch (err) {
      throw toMicError(err);
    }
    try {
      const context = await openContext(stream);
      await context.audioWorklet.addModule(workletUrl);
      const source = context.createMediaStreamSource(stream);
      // No outputs: the node is pulled by the graph as a sink, and nothing is played back.
      const node = new AudioWorkletNode(context, 'pcm-capture', {
        numberOfInputs: 1,
        numberOfOutputs: 0
      });
      source.connect(node);
      if (context.state === 'suspended') await context.resume();
      return new MicRecorder(stream, context, node, events);
    } catch (err) {
      for (const track of stream.getTracks()) track.stop();
      throw toMicError(err);
    }
  }

  /** Samples recorded so far (16 kHz mono). */
  get recorded(): Float32Array {
    return concat(this.chunks);
  }

  /** Stops recording and returns everything captured, including the last partial chunk. */
  async stop(): Promise<Float32Array> {
    if (!this.stopped) {
      this.stopped = true;
      await this.flush();
      for (const track of this.stream.getTracks()) track.stop();
      this.node.disconnect();
      await this.context.close().catch(() => undefined);
    }
    return this.recorded;
  }

  private flush(): Promise<void> {
    if (this.context.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 500);
      const previous = this.node.port.onmessage;
      this.node.port.onmessage = (event: MessageEvent<WorkletMessage>) => {
        previous?.call(this.node.port, event);
        if (event.data.type === 'flushed') {
          clearTimeout(timer);
          resolve();
        }
      };
      this.node.port.postMessage({ type: 'flush' });
    });
  }
}

async function openContext(stream: MediaStream): Promise<AudioContext> {
  // Ask for 16 kHz so the browser resamples natively; Firefox refuses to connect a microphone at
  // another rate, so fall back to the device rate and let the worklet resample.
  const preferred = new AudioContext({ sampleRate: 16_000, latencyHint: 'interactive' });
  try {
    preferred.createMediaStreamSource(stream).disconnect();
    return preferred;
  } catch {
    await preferred.close().catch(() => undefined);
    return new AudioContext({ latencyHint: 'interactive' });
  }
}

/** Joins chunks into one buffer. */
export function concat(chunks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
