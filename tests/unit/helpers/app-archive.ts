/** Libraries for archive tests: generated with fast-check, written to a test DB, compared by content. */
import fc from 'fast-check';
import { encodeWav } from '$lib/audio/wav';
import type { LvaDatabase } from '$lib/db/database';
import type {
  AudioChunkRecord,
  AudioRecord,
  CaptureRecord,
  ConversationRecord,
  EmbeddingRecord,
  PassageRecord,
  RecordingRecord,
  ReplyRecord,
  SettingRecord,
  TranscriptVersionRecord,
  TurnRecord
} from '$lib/db/records';
import { canonicalJson } from '$lib/archive/codec';
import type { ArchiveSink } from '$lib/archive/zip-writer';

/** Everything a library holds that an archive carries. */
export interface Library {
  captures: CaptureRecord[];
  audio: AudioRecord[];
  replies: ReplyRecord[];
  transcriptVersions: TranscriptVersionRecord[];
  passages: PassageRecord[];
  embeddings: EmbeddingRecord[];
  conversations: ConversationRecord[];
  turns: TurnRecord[];
  recordings: RecordingRecord[];
  audioChunks: AudioChunkRecord[];
  settings: SettingRecord[];
}

let ns = '';
const id = (prefix: string, n: number) =>
  `${ns}${prefix}${String(n).padStart(24 - ns.length, '0')}`;
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '---\ntitle: x\n---',
    ''
  )
);
const float = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
  .map((x) => (Object.is(x, -0) ? 0 : x));

/** A generated library of up to `max` captures, with every kind of record. */
export function libraryArb(max = 4, namespace = ''): fc.Arbitrary<Library> {
  return fc.array(captureArb(), { minLength: 0, maxLength: max }).chain((parts) =>
    fc
      .record({
        conversations: fc.array(
          fc.record({
            title: text,
            tags: fc.array(text, { maxLength: 3 }),
            turns: fc.array(text, { maxLength: 3 })
          }),
          { maxLength: 2 }
        ),
        recordings: fc.array(fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 3 }), {
          maxLength: 2
        }),
        settings: fc.array(
          fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })),
          { maxLength: 3 }
        )
      })
      .map((extra) => {
        ns = namespace;
        return assemble(parts, extra);
      })
  );
}

interface CapturePart {
  capture: Omit<CaptureRecord, 'id' | 'audioId'>;
  samples: number[] | null;
  replies: string[];
  versions: string[];
  passages: string[];
}

function captureArb(): fc.Arbitrary<CapturePart> {
  return fc.record({
    capture: fc.record({
      createdAt: time,
      updatedAt: time,
      title: text,
      text,
      segments: fc.array(fc.record({ start: float, end: float, text }), { maxLength: 3 }),
      language: fc.constantFrom('english', 'german', 'japanese'),
      modelId: fc.option(fc.constant('Xenova/whisper-tiny'), { nil: null }),
      source: fc.constantFrom('mic' as const, 'import' as const, 'markdown' as const),
      durationMs: fc.nat({ max: 3_600_000 }),
      status: fc.constantFrom('transcribing' as const, 'ready' as const, 'failed' as const),
      error: fc.option(text, { nil: null }),
      tags: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 4 }),
      private: fc.boolean()
    }),
    samples: fc.option(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 400 }), {
      nil: null
    }),
    replies: fc.array(text, { maxLength: 2 }),
    versions: fc.array(text, { maxLength: 2 }),
    passages: fc.array(text, { maxLength: 2 })
  });
}

function assemble(
  parts: CapturePart[],
  extra: {
    conversations: { title: string; tags: string[]; turns: string[] }[];
    recordings: number[][];
    settings: [string, unknown][];
  }
): Library {
  const lib: Library = {
    captures: [],
    audio: [],
    replies: [],
    transcriptVersions: [],
    passages: [],
    embeddings: [],
    conversations: [],
    turns: [],
    recordings: [],
    audioChunks: [],
    settings: []
  };
  let n = 0;
  parts.forEach((part, i) => {
    const captureId = id('c', i) as CaptureRecord['id'];
    const audioId = part.samples ? (id('a', i) as AudioRecord['id']) : null;
    lib.captures.push({ ...part.capture, id: captureId, audioId });
    if (audioId)
      lib.audio.push({
        id: audioId,
        captureId,
        mimeType: 'audio/wav',
        sampleRate: 16_000,
        data: encodeWav(Float32Array.from(part.samples!), 16_000)
      });
    for (const r of part.replies)
      lib.replies.push({
        id: id('r', n++) as ReplyRecord['id'],
        captureId,
        createdAt: part.capture.createdAt + 1,
        text: r,
        source: n % 2 ? 'claude' : 'offline-coach',
        model: n % 2 ? 'claude-haiku-5-5' : null
      });
    for (const t of part.versions)
      lib.transcriptVersions.push({
        id: id('t', n++) as TranscriptVersionRecord['id'],
        captureId,
        createdAt: part.capture.createdAt,
        modelId: null,
        language: 'english',
        text: t,
        segments: []
      });
    part.passages.forEach((p, index) => {
      const passageId = id('p', n++) as PassageRecord['id'];
      lib.passages.push({ id: passageId, captureId, index, text: p, start: index, end: null });
      const vector = Float32Array.from([index, 0.5, -0.25, 1]);
      lib.embeddings.push({
        passageId,
        captureId,
        modelId: 'lva-generated/minilm-shape-tiny',
        dims: 4,
        encoding: 'f32',
        vector: vector.buffer,
        scale: 1,
        createdAt: 5
      });
    });
  });
  extra.conversations.forEach((c, i) => {
    const conversationId = id('v', i) as ConversationRecord['id'];
    lib.conversations.push({
      id: conversationId,
      createdAt: i,
      updatedAt: i + 1,
      title: c.title,
      summary: null,
      takeaways: [c.title],
      tags: c.tags
    });
    for (const t of c.turns)
      lib.turns.push({
        id: id('u', n++) as TurnRecord['id'],
        conversationId,
        createdAt: n,
        role: n % 2 ? 'user' : 'assistant',
        text: t,
        source: n % 2 ? 'person' : 'claude',
        captureId: null,
        model: null,
        strategy: null,
        sent: { messages: [t] },
        citations: [],
        timings: { firstTokenMs: 12.5 }
      });
  });
  extra.recordings.forEach((chunks, i) => {
    const recordingId = id('g', i) as RecordingRecord['id'];
    let samples = 0;
    chunks.forEach((size, seq) => {
      lib.audioChunks.push({
        recordingId,
        seq,
        data: Int16Array.from({ length: size }, (_, k) => k * 7 - 100).buffer
      });
      samples += size;
    });
    lib.recordings.push({
      id: recordingId,
      startedAt: i,
      updatedAt: i,
      sampleRate: 16_000,
      status: 'recording',
      captureId: null,
      samples
    });
  });
  lib.settings = [...new Map(extra.settings).entries()].map(([key, value]) => ({ key, value }));
  return lib;
}

/** Writes a library into a database. */
export async function seed(db: LvaDatabase, lib: Library): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    for (const [table, rows] of Object.entries(lib))
      if ((rows as unknown[]).length) await db.table(table).bulkPut(rows as unknown[]);
  });
}

/**
 * A database's archived content, comparable with toEqual: tables as canonical JSON sorted by key,
 * unfinished recordings' chunks joined (an archive keeps their bytes, not where chunks began).
 */
export async function contentOf(db: LvaDatabase): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of [
    'captures',
    'audio',
    'replies',
    'transcriptVersions',
    'passages',
    'embeddings',
    'conversations',
    'turns',
    'recordings',
    'settings'
  ])
    out[table] = (await db.table(table).toArray()).map((r) => canonicalJson(r)).sort();
  const chunks = (await db.audioChunks.toArray()).sort(
    (a, b) => a.recordingId.localeCompare(b.recordingId) || a.seq - b.seq
  );
  const joined = new Map<string, number[]>();
  for (const c of chunks)
    joined.set(c.recordingId, [...(joined.get(c.recordingId) ?? []), ...new Uint8Array(c.data)]);
  out.audioChunks = [...joined.entries()].map(([k, bytes]) => `${k}:${bytes.join(',')}`).sort();
  return out;
}

/** A sink that keeps the archive in memory (small test archives only). */
export function memorySink(): ArchiveSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  let closed = false;
  return {
    write: (chunk) => {
      chunks.push(chunk.slice());
      return Promise.resolve();
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
    bytes: () => {
      if (!closed) throw new Error('sink not closed');
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let o = 0;
      for (const c of chunks) out.set(c, (o += c.length) - c.length);
      return out;
    }
  };
}
