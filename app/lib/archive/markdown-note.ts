/**
 * One Markdown note per capture, with YAML front matter, so the archive's `markdown/` folder opens
 * as an Obsidian vault. Strings in the front matter are written as JSON strings, which are valid
 * YAML double-quoted scalars whatever they contain. HTML in the text is escaped: a vault renders
 * HTML, and a transcript is text, never markup.
 */
import type { CaptureRecord, ReplyRecord } from '../db/records';

/** Marks notes this app wrote, so importing them back can undo the escaping exactly. */
export const NOTE_GENERATOR = 'learning-voice-agent';

/** `<` and `&` as entities: rendered as the same characters, never as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inverse of {@link escapeHtml}. */
export function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A file name for a capture's note: its title made safe on every file system, plus its id. */
export function noteFileName(capture: CaptureRecord): string {
  const base = capture.title
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} _-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40)
    .trim();
  return `${base || 'Capture'} (${capture.id.slice(-8)}).md`;
}

const yamlString = (s: string) => JSON.stringify(s);
const iso = (ms: number) => new Date(ms).toISOString();

/** The note for a capture and its partner replies. */
export function captureNote(
  capture: CaptureRecord,
  replies: ReplyRecord[],
  audioFile: string | null
): string {
  const lines = [
    '---',
    `id: ${yamlString(capture.id)}`,
    `title: ${yamlString(capture.title)}`,
    `created: ${iso(capture.createdAt)}`,
    `updated: ${iso(capture.updatedAt)}`,
    `tags: [${capture.tags.map(yamlString).join(', ')}]`,
    `language: ${yamlString(capture.language)}`,
    `source: ${yamlString(capture.source)}`,
    `private: ${capture.private}`,
    `duration_seconds: ${Math.round(capture.durationMs) / 1000}`,
    `model: ${capture.modelId === null ? 'null' : yamlString(capture.modelId)}`,
    `audio: ${audioFile === null ? 'null' : yamlString(audioFile)}`,
    `generator: ${yamlString(NOTE_GENERATOR)}`,
    '---',
    '',
    `# ${escapeHtml(capture.title || 'Untitled capture')}`,
    '',
    escapeHtml(capture.text),
    ''
  ];
  if (replies.length > 0) {
    lines.push('## Partner', '');
    for (const reply of replies) {
      const who =
        reply.source === 'claude'
          ? `Claude${reply.model ? ` (${reply.model})` : ''}`
          : 'Offline coach';
      lines.push(`> **${who}**, ${iso(reply.createdAt)}`, '>');
      for (const line of escapeHtml(reply.text).split('\n')) lines.push(`> ${line}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}
