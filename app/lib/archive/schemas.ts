/**
 * What every line of an archive (format v1) must look like. Every record is checked against these
 * before anything is written: types, id shapes, lengths and list sizes, no unknown keys.
 */
import * as v from 'valibot';
import { LIMITS } from './format';

const id = v.pipe(v.string(), v.regex(/^[0-9A-Za-z_-]{1,64}$/, 'is not a valid id'));
const time = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(8.64e15));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const short = v.pipe(v.string(), v.maxLength(LIMITS.maxShortChars, 'is too long'));
const long = v.pipe(v.string(), v.maxLength(LIMITS.maxTextChars, 'is too long'));
const list = <T extends v.GenericSchema>(item: T) =>
  v.pipe(v.array(item), v.maxLength(LIMITS.maxListItems, 'has too many items'));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'is not a sha256'));
const base64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'));
const sampleRate = v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(384_000));

/** Depth of nested JSON; deep nesting is refused so nothing downstream overflows its stack. */
function depth(value: unknown, limit = 64): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return Infinity;
  let max = 0;
  for (const item of Object.values(value)) max = Math.max(max, depth(item, limit - 1));
  return max + 1;
}
const json = v.pipe(
  v.unknown(),
  v.check((value) => depth(value) <= 64, 'is nested too deeply')
);

const segment = v.strictObject({
  start: v.pipe(v.number(), v.finite()),
  end: v.pipe(v.number(), v.finite()),
  text: long
});

/** A capture line (CaptureRecord). */
export const CaptureLine = v.strictObject({
  id,
  createdAt: time,
  updatedAt: time,
  title: short,
  text: long,
  segments: list(segment),
  language: short,
  modelId: v.nullable(short),
  source: v.picklist(['mic', 'import', 'markdown']),
  audioId: v.nullable(id),
  durationMs: v.pipe(v.number(), v.finite(), v.minValue(0)),
  status: v.picklist(['transcribing', 'ready', 'failed']),
  error: v.nullable(long),
  tags: list(short),
  private: v.boolean()
});

/** Metadata of one audio file; its bytes are the entry at `path`. */
export const AudioLine = v.strictObject({
  id,
  captureId: id,
  mimeType: v.literal('audio/wav'),
  sampleRate,
  path: v.string(),
  bytes: count,
  sha256
});

/** A reply line (ReplyRecord). */
export const ReplyLine = v.strictObject({
  id,
  captureId: id,
  createdAt: time,
  text: long,
  source: v.picklist(['claude', 'offline-coach']),
  model: v.nullable(short)
});

/** An earlier transcript of a capture (TranscriptVersionRecord). */
export const TranscriptVersionLine = v.strictObject({
  id,
  captureId: id,
  createdAt: time,
  modelId: v.nullable(short),
  language: short,
  text: long,
  segments: list(segment)
});

/** A passage line (PassageRecord). */
export const PassageLine = v.strictObject({
  id,
  captureId: id,
  index: count,
  text: long,
  start: v.nullable(v.pipe(v.number(), v.finite())),
  end: v.nullable(v.pipe(v.number(), v.finite()))
});

/** An embedding line: the vector's bytes as base64. */
export const EmbeddingLine = v.strictObject({
  passageId: id,
  captureId: id,
  modelId: short,
  dims: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_536)),
  encoding: v.picklist(['f32', 'i8']),
  vector: base64,
  scale: v.pipe(v.number(), v.finite()),
  createdAt: time
});

/** A conversation line (ConversationRecord). */
export const ConversationLine = v.strictObject({
  id,
  createdAt: time,
  updatedAt: time,
  title: short,
  summary: v.nullable(long),
  takeaways: list(long),
  tags: list(short)
});

/** A turn line (TurnRecord). */
export const TurnLine = v.strictObject({
  id,
  conversationId: id,
  createdAt: time,
  role: v.picklist(['user', 'assistant']),
  text: long,
  source: v.picklist(['person', 'claude', 'offline-coach']),
  captureId: v.nullable(id),
  model: v.nullable(short),
  strategy: v.nullable(short),
  sent: json,
  citations: list(id),
  timings: v.pipe(
    v.record(short, v.pipe(v.number(), v.finite())),
    v.check((t) => Object.keys(t).length <= 1000, 'has too many timings')
  )
});

/** An unfinished recording; its joined PCM16 chunks are the entry at `path`. */
export const RecordingLine = v.strictObject({
  id,
  startedAt: time,
  updatedAt: time,
  sampleRate,
  status: v.picklist(['recording', 'finished']),
  captureId: v.nullable(id),
  samples: count,
  path: v.string(),
  bytes: count,
  sha256
});

/** A setting line (SettingRecord). */
export const SettingLine = v.strictObject({ key: short, value: json });

/** The schema of each table's lines. */
export const LINE_SCHEMAS = {
  captures: CaptureLine,
  audio: AudioLine,
  replies: ReplyLine,
  transcriptVersions: TranscriptVersionLine,
  passages: PassageLine,
  embeddings: EmbeddingLine,
  conversations: ConversationLine,
  turns: TurnLine,
  recordings: RecordingLine,
  settings: SettingLine
} as const;

/** One entry of the manifest's list. */
export const ManifestEntry = v.strictObject({
  path: v.string(),
  bytes: count,
  sha256
});

/** manifest.json. Only the marker and version are read before migration; the rest after. */
export const ManifestSchema = v.strictObject({
  format: v.literal('learning-voice-agent-archive'),
  formatVersion: v.literal(1),
  appVersion: short,
  schemaVersion: count,
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  counts: v.record(short, count),
  embeddings: v.strictObject({ included: v.boolean(), modelIds: list(short) }),
  includesPrivate: v.boolean(),
  entries: list(ManifestEntry)
});

/** The manifest of a format v1 archive. */
export type Manifest = v.InferOutput<typeof ManifestSchema>;

/** A human-readable reason a value failed its schema: "title is too long". */
export function describeIssues(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  const issue = issues[0];
  const path = v.getDotPath(issue);
  const where = path ?? 'the record';
  return /^(is|has) /.test(issue.message)
    ? `${where} ${issue.message}`
    : `${where}: ${issue.message}`;
}
