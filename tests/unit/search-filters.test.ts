import { describe, expect, it } from 'vitest';
import { dayRange, hasFilters, normalizeTag, passes } from '$lib/search/filters';

const capture = {
  createdAt: new Date(2026, 3, 10, 15).getTime(),
  tags: ['bio', 'exam'],
  source: 'mic' as const
};

describe('search filters', () => {
  it('passes with no filters and reports whether any is set', () => {
    expect(passes(capture, {})).toBe(true);
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ tags: [], source: null, from: null })).toBe(false);
    expect(hasFilters({ source: 'mic' })).toBe(true);
  });

  it('filters by an inclusive day range in local time', () => {
    expect(passes(capture, dayRange('2026-04-10', '2026-04-10'))).toBe(true);
    expect(passes(capture, dayRange('2026-04-11', ''))).toBe(false);
    expect(passes(capture, dayRange('', '2026-04-09'))).toBe(false);
    expect(dayRange('', '')).toEqual({ from: null, to: null });
    expect(dayRange('garbage', '')).toEqual({ from: null, to: null });
  });

  it('requires every chosen tag and the chosen source', () => {
    expect(passes(capture, { tags: ['bio'] })).toBe(true);
    expect(passes(capture, { tags: ['bio', 'math'] })).toBe(false);
    expect(passes(capture, { source: 'import' })).toBe(false);
  });

  it('normalizes tags', () => {
    expect(normalizeTag('  Cell   Biology ')).toBe('cell biology');
    expect(normalizeTag('x'.repeat(50))).toHaveLength(40);
  });
});
