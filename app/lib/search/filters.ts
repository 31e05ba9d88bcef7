/** Search filters: a date range, tags and a source. Every set filter must hold. */
import type { CaptureSource } from '../db/records';

/** What a filter needs to know about a capture. */
export interface FilterableCapture {
  createdAt: number;
  tags: readonly string[];
  source: CaptureSource;
}

/** Active filters; an absent field does not filter. */
export interface SearchFilters {
  /** Inclusive lower bound on `createdAt` (ms). */
  from?: number | null;
  /** Exclusive upper bound on `createdAt` (ms). */
  to?: number | null;
  /** The capture must carry every one of these tags. */
  tags?: readonly string[];
  source?: CaptureSource | null;
}

/** Whether any filter is set. */
export function hasFilters(filters: SearchFilters): boolean {
  return (
    filters.from != null ||
    filters.to != null ||
    (filters.tags?.length ?? 0) > 0 ||
    filters.source != null
  );
}

/** Whether a capture passes the filters. */
export function passes(capture: FilterableCapture, filters: SearchFilters): boolean {
  if (filters.from != null && capture.createdAt < filters.from) return false;
  if (filters.to != null && capture.createdAt >= filters.to) return false;
  if (filters.source != null && capture.source !== filters.source) return false;
  for (const tag of filters.tags ?? []) if (!capture.tags.includes(tag)) return false;
  return true;
}

/** A tag as stored: trimmed, inner spaces collapsed, lower-cased, at most 40 characters. */
export function normalizeTag(tag: string): string {
  return tag.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 40);
}

/**
 * Start and end (exclusive) of a date range picked as `YYYY-MM-DD` strings in local time; an
 * empty string leaves that side open. The end day is included.
 */
export function dayRange(from: string, to: string): { from: number | null; to: number | null } {
  const day = (value: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  };
  const start = day(from);
  const end = day(to);
  if (end) end.setDate(end.getDate() + 1);
  return { from: start?.getTime() ?? null, to: end?.getTime() ?? null };
}
