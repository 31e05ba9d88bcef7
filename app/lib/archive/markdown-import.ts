/**
 * Plain Markdown notes (an Obsidian vault, or notes this app exported) as captures. Front matter
 * is honoured: title, tags, created/date, updated, private, language, and the id of notes this app
 * wrote. Other notes get an id derived from their content, so importing them twice changes nothing.
 */
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import type { CaptureRecord } from '../db/records';
import { ArchiveError } from './errors';
import { ARCHIVE_TABLES } from './format';
import { sha256Hex } from './hashing';
import type { StagedArchive } from './import-read';
import { NOTE_GENERATOR, unescapeHtml } from './markdown-note';
import { CaptureLine, describeIssues } from './schemas';
import { bytesSource } from './source';

/** A Markdown file picked by the person. */
export interface NoteFile {
  name: string;
  text: string;
  lastModified: number;
}

/** Most notes and largest note accepted in one import. */
export const NOTE_LIMITS = { maxNotes: 20_000, maxNoteChars: 4_000_000 } as const;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const encoder = new TextEncoder();

/** Splits a note into its front matter (parsed) and body. */
export function splitFrontMatter(
  text: string,
  name: string
): { data: Record<string, unknown>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { data: {}, body: text };
  let data: unknown;
  try {
    // Aliases are capped so a "billion laughs" note cannot blow up memory.
    data = parseYaml(match[1]!, { maxAliasCount: 50, schema: 'core' });
  } catch {
    throw new ArchiveError('invalid_record', `"${name}": its front matter is not valid YAML.`);
  }
  if (data !== null && (typeof data !== 'object' || Array.isArray(data)))
    throw new ArchiveError(
      'invalid_record',
      `"${name}": its front matter is not a list of fields.`
    );
  return { data: (data ?? {}) as Record<string, unknown>, body: text.slice(match[0].length) };
}

function time(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

function tagsOf(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\s]+/) : [];
  const tags = raw
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.trim().replace(/^#/, ''));
  return [...new Set(tags.filter((t) => t.length > 0))];
}

/** A stable id for a note without one: its date, then a hash of its name and content. */
function derivedId(created: number, name: string, text: string): string {
  let prefix = '';
  for (let i = 0, t = created; i < 10; i++, t = Math.floor(t / 32))
    prefix = ALPHABET[t % 32] + prefix;
  const hash = sha256Hex(encoder.encode(`${name}\n${text}`));
  let rest = '';
  for (let i = 0; i < 16; i++) rest += ALPHABET[parseInt(hash.slice(i * 2, i * 2 + 2), 16) % 32];
  return prefix + rest;
}

/** One note as a capture record (validated). */
export function noteToCapture(file: NoteFile): CaptureRecord {
  if (file.text.length > NOTE_LIMITS.maxNoteChars)
    throw new ArchiveError('too_large', `"${file.name}" is too large to import as a note.`);
  const { data, body } = splitFrontMatter(file.text, file.name);
  const ours = data.generator === NOTE_GENERATOR;
  let text = body;
  let heading: string | null = null;
  const h1 = /^\s*# (.+)\r?\n/.exec(text);
  if (h1) {
    heading = h1[1]!.trim();
    text = text.slice(h1[0].length);
  }
  if (ours) text = unescapeHtml(text.split(/\n## Partner\n/)[0]!);
  text = text.trim();
  const str = (k: string) => (typeof data[k] === 'string' ? data[k] : null);
  const created =
    time(data.created) ?? time(data.date) ?? time(data.createdAt) ?? file.lastModified;
  const title =
    str('title') ??
    (heading && ours ? unescapeHtml(heading) : heading) ??
    file.name.replace(/\.md$/i, '');
  const id =
    ours && typeof data.id === 'string' ? data.id : derivedId(created, file.name, file.text);
  const capture = {
    id,
    createdAt: created,
    updatedAt: time(data.updated) ?? time(data.modified) ?? created,
    title: title.trim(),
    text,
    segments: [],
    language: str('language') ?? 'english',
    modelId: ours ? (str('model') ?? null) : null,
    source: 'markdown',
    audioId: null,
    durationMs: 0,
    status: 'ready',
    error: null,
    tags: tagsOf(data.tags),
    private: data.private === true
  };
  const result = v.safeParse(CaptureLine, capture);
  if (!result.success)
    throw new ArchiveError('invalid_record', `"${file.name}": ${describeIssues(result.issues)}.`);
  return result.output as CaptureRecord;
}

/** Notes as an import, ready for the same dry run and single-transaction write as an archive. */
export function notesToStaged(files: NoteFile[]): StagedArchive {
  if (files.length > NOTE_LIMITS.maxNotes)
    throw new ArchiveError(
      'too_large',
      `At most ${NOTE_LIMITS.maxNotes} notes can be imported at once.`
    );
  const tables = Object.fromEntries(
    ARCHIVE_TABLES.map((t) => [t, []])
  ) as unknown as StagedArchive['tables'];
  const seen = new Set<string>();
  for (const file of files) {
    const capture = noteToCapture(file);
    if (seen.has(capture.id)) continue;
    seen.add(capture.id);
    tables.captures.push(capture as unknown as Record<string, unknown>);
  }
  return { manifest: null, tables, binaries: new Map(), source: bytesSource(new Uint8Array(0)) };
}
