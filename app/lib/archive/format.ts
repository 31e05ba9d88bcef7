/**
 * The archive format: its version, entry layout and the limits an imported archive must respect.
 * The format has its own version, independent of the database schema version: a new format
 * version adds a migration in migrations.ts and a frozen fixture in tests/fixtures/archive/.
 */

/** Marker in manifest.json, so another program's zip is recognised as not ours. */
export const ARCHIVE_FORMAT = 'learning-voice-agent-archive';

/** The format version this app writes (and the newest it reads). */
export const ARCHIVE_FORMAT_VERSION = 1;

/** The manifest; written last because it holds every other entry's sha256. */
export const MANIFEST_PATH = 'manifest.json';

/** One JSON Lines file per table, in the order they are written and imported. */
export const TABLE_FILES = {
  captures: 'captures.jsonl',
  audio: 'audio.jsonl',
  replies: 'replies.jsonl',
  transcriptVersions: 'transcript-versions.jsonl',
  passages: 'passages.jsonl',
  embeddings: 'embeddings.jsonl',
  conversations: 'conversations.jsonl',
  turns: 'turns.jsonl',
  recordings: 'recordings.jsonl',
  settings: 'settings.jsonl'
} as const;

/** A table carried by the archive. */
export type ArchiveTable = keyof typeof TABLE_FILES;

/** Every archived table, in write order (referenced records before the ones that point to them). */
export const ARCHIVE_TABLES = Object.keys(TABLE_FILES) as ArchiveTable[];

/** Audio of a capture: `audio/<audioId>.wav`. */
export const audioPath = (audioId: string) => `audio/${audioId}.wav`;
/** Samples of an unfinished recording, its chunks joined: `recordings/<recordingId>.pcm`. */
export const recordingPath = (recordingId: string) => `recordings/${recordingId}.pcm`;

/** Paths an archive may contain; anything else is refused, never extracted. */
export const ENTRY_PATTERN =
  /^(manifest\.json|[a-z-]+\.jsonl|audio\/[0-9A-Za-z_-]{1,64}\.wav|recordings\/[0-9A-Za-z_-]{1,64}\.pcm|markdown\/[^/\\\0]{1,200}\.md)$/;

/** Limits that keep a hostile or broken archive from exhausting memory or disk. */
export const LIMITS = {
  /** Entries in one archive. */
  maxEntries: 200_000,
  /** Bytes of one entry name. */
  maxNameBytes: 255,
  /** Uncompressed bytes of one JSON Lines, manifest or Markdown entry. */
  maxTextEntryBytes: 2 * 1024 ** 3,
  /** Uncompressed bytes of one audio or recording entry (about 4.6 hours of 16 kHz audio). */
  maxBinaryEntryBytes: 512 * 1024 ** 2,
  /** Uncompressed bytes of the whole archive. */
  maxTotalBytes: 64 * 1024 ** 3,
  /** Uncompressed/compressed ratio above which a deflated entry of over 1 MiB is a zip bomb. */
  maxRatio: 1000,
  /** Bytes of one JSON line. */
  maxLineBytes: 16 * 1024 ** 2,
  /** Bytes of manifest.json. */
  maxManifestBytes: 64 * 1024 ** 2,
  /** Characters of a transcript or turn text. */
  maxTextChars: 2_000_000,
  /** Characters of a title, tag, model id and similar short strings. */
  maxShortChars: 1_000,
  /** Items of a list (tags, segments, citations, takeaways). */
  maxListItems: 100_000
} as const;
