/**
 * Memory for a turn: the captures most related to what the person said, cut to a token budget and
 * numbered for citation ([1], [2] …). Private captures are dropped and every chosen capture passes
 * `assertShareable` right before its text is copied, so none can reach a request (privacy.ts).
 */
import type { CaptureId } from '../db/ids';
import { assertShareable, shareableOnly } from '../db/privacy';

/** The part of a capture the context uses. */
export interface ContextCandidate {
  id: CaptureId;
  title: string;
  text: string;
  createdAt: number;
  private: boolean;
}

/** One numbered note sent with a turn. */
export interface ContextItem {
  /** Its citation number, from 1. */
  n: number;
  captureId: CaptureId;
  title: string;
  /** The day it was captured, YYYY-MM-DD (UTC). */
  date: string;
  /** Its text, shortened to fit the budget. */
  text: string;
  truncated: boolean;
}

/** Limits of the context, in estimated tokens. */
export interface ContextBudget {
  /** All notes together. */
  totalTokens: number;
  /** One note at most. */
  perNoteTokens: number;
  /** A note that would get fewer tokens than this is left out instead of cut to nothing. */
  minNoteTokens: number;
}

/** About 1,200 tokens of notes, at most 400 per note. */
export const DEFAULT_BUDGET: ContextBudget = {
  totalTokens: 1200,
  perNoteTokens: 400,
  minNoteTokens: 40
};

/** Estimated tokens of a text: about four characters per token for English. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const header = (n: number, title: string, date: string) =>
  `[${n}] ${title || 'Untitled capture'} (${date})\n`;

/** The formatted note of an item, as sent. */
export function formatItem(item: ContextItem): string {
  return `${header(item.n, item.title, item.date)}${item.text}`;
}

/**
 * Chooses notes from candidates (best first) within the budget. Private candidates never get in,
 * whatever the caller passed.
 */
export function selectContext(
  candidates: readonly ContextCandidate[],
  budget: ContextBudget = DEFAULT_BUDGET
): ContextItem[] {
  const items: ContextItem[] = [];
  let left = budget.totalTokens;
  for (const capture of shareableOnly(candidates)) {
    if (!capture.text.trim()) continue;
    const date = new Date(capture.createdAt).toISOString().slice(0, 10);
    const overhead = estimateTokens(header(items.length + 1, capture.title, date));
    const room = Math.min(budget.perNoteTokens, left) - overhead;
    if (room < budget.minNoteTokens) continue;
    assertShareable(capture);
    const text = clip(capture.text.trim(), room * 4);
    items.push({
      n: items.length + 1,
      captureId: capture.id,
      title: capture.title,
      date,
      text,
      truncated: text.length < capture.text.trim().length
    });
    left -= overhead + estimateTokens(text);
  }
  return items;
}

/** Cuts a text to at most `chars` characters at a word boundary, marking the cut with "…". */
function clip(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(0, Math.max(0, chars - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > chars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The notes block of the system prompt ('' when there are none). */
export function contextBlock(items: readonly ContextItem[]): string {
  if (items.length === 0) return '';
  return `Notes from the person's own library that may be relevant, numbered for citation. Use them only if they bear on what was said; cite as [n].\n<notes>\n${items.map(formatItem).join('\n\n')}\n</notes>`;
}

/**
 * The captures a reply cites, in order of first citation, without repeats: "[2]", "[1, 3]" and
 * "[1][2]" all count; numbers that match no note are ignored.
 */
export function citedCaptures(reply: string, items: readonly ContextItem[]): CaptureId[] {
  const byNumber = new Map(items.map((item) => [item.n, item.captureId]));
  const cited: CaptureId[] = [];
  for (const match of reply.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g))
    for (const n of match[1]!.split(',')) {
      const id = byNumber.get(Number(n.trim()));
      if (id && !cited.includes(id)) cited.push(id);
    }
  return cited;
}
