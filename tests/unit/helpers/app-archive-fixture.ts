/**
 * The library frozen in tests/fixtures/archive/v1.zip: one of every record kind, including a
 * private capture, HTML in text, Unicode, an embedding and an unfinished recording.
 */
import { encodeWav } from '$lib/audio/wav';
import type { Library } from './app-archive';

const T = Date.UTC(2026, 10, 1, 9, 30);
const samples = Float32Array.from({ length: 320 }, (_, i) => Math.sin(i / 8) * 0.5);

/** The frozen fixture's library. Never change it: it stands for archives people already have. */
export function fixtureLibrary(): Library {
  return {
    captures: [
      {
        id: '01jb0000000000000000000001',
        createdAt: T,
        updatedAt: T + 5000,
        title: 'Photosynthesis, in my words',
        text: 'Light becomes sugar: chlorophyll <b>absorbs</b> red & blue light.',
        segments: [{ start: 0, end: 2.5, text: 'Light becomes sugar' }],
        language: 'english',
        modelId: 'Xenova/whisper-tiny',
        source: 'mic',
        audioId: '01jb00000000000000000000a1',
        durationMs: 20,
        status: 'ready',
        error: null,
        tags: ['biology', 'plants'],
        private: false
      },
      {
        id: '01jb0000000000000000000002',
        createdAt: T + 60_000,
        updatedAt: T + 60_000,
        title: 'Private: exam worries',
        text: 'Über-nervous about Thursday — 試験 <script>alert(1)</script>',
        segments: [],
        language: 'german',
        modelId: null,
        source: 'markdown',
        audioId: null,
        durationMs: 0,
        status: 'ready',
        error: null,
        tags: [],
        private: true
      }
    ] as unknown as Library['captures'],
    audio: [
      {
        id: '01jb00000000000000000000a1',
        captureId: '01jb0000000000000000000001',
        mimeType: 'audio/wav',
        sampleRate: 16_000,
        data: encodeWav(samples, 16_000)
      }
    ] as unknown as Library['audio'],
    replies: [
      {
        id: '01jb00000000000000000000r1',
        captureId: '01jb0000000000000000000001',
        createdAt: T + 1000,
        text: 'What happens to the oxygen?',
        source: 'offline-coach',
        model: null
      }
    ] as unknown as Library['replies'],
    transcriptVersions: [
      {
        id: '01jb00000000000000000000t1',
        captureId: '01jb0000000000000000000001',
        createdAt: T + 5000,
        modelId: 'Xenova/whisper-tiny',
        language: 'english',
        text: 'Light becomes sugar',
        segments: []
      }
    ] as unknown as Library['transcriptVersions'],
    passages: [
      {
        id: '01jb00000000000000000000p1',
        captureId: '01jb0000000000000000000001',
        index: 0,
        text: 'Light becomes sugar',
        start: 0,
        end: 2.5
      }
    ] as unknown as Library['passages'],
    embeddings: [
      {
        passageId: '01jb00000000000000000000p1',
        captureId: '01jb0000000000000000000001',
        modelId: 'lva-generated/minilm-shape-tiny',
        dims: 4,
        encoding: 'i8',
        vector: Int8Array.from([12, -7, 127, -128]).buffer,
        scale: 0.0078125,
        createdAt: T + 6000
      }
    ] as unknown as Library['embeddings'],
    conversations: [
      {
        id: '01jb00000000000000000000v1',
        createdAt: T,
        updatedAt: T + 2000,
        title: 'Plants',
        summary: 'Light to sugar.',
        takeaways: ['Chlorophyll absorbs red and blue'],
        tags: ['biology']
      }
    ] as unknown as Library['conversations'],
    turns: [
      {
        id: '01jb00000000000000000000u1',
        conversationId: '01jb00000000000000000000v1',
        createdAt: T,
        role: 'user',
        text: 'Light becomes sugar',
        source: 'person',
        captureId: '01jb0000000000000000000001',
        model: null,
        strategy: null,
        sent: null,
        citations: [],
        timings: {}
      },
      {
        id: '01jb00000000000000000000u2',
        conversationId: '01jb00000000000000000000v1',
        createdAt: T + 1000,
        role: 'assistant',
        text: 'What happens to the oxygen?',
        source: 'claude',
        captureId: null,
        model: 'claude-haiku-5-5',
        strategy: 'socratic',
        sent: { system: 'partner', messages: [{ role: 'user', content: 'Light becomes sugar' }] },
        citations: ['01jb0000000000000000000001'],
        timings: { firstTokenMs: 412.5, totalMs: 1200 }
      }
    ] as unknown as Library['turns'],
    recordings: [
      {
        id: '01jb00000000000000000000g1',
        startedAt: T + 90_000,
        updatedAt: T + 92_000,
        sampleRate: 16_000,
        status: 'recording',
        captureId: null,
        samples: 6
      }
    ] as unknown as Library['recordings'],
    audioChunks: [
      {
        recordingId: '01jb00000000000000000000g1',
        seq: 0,
        data: Int16Array.from([1, -2, 3]).buffer
      },
      {
        recordingId: '01jb00000000000000000000g1',
        seq: 1,
        data: Int16Array.from([400, -500, 32767]).buffer
      }
    ] as unknown as Library['audioChunks'],
    settings: [{ key: 'partner.strategy', value: { name: 'socratic', level: 2 } }]
  };
}
