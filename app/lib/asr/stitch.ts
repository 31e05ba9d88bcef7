/**
 * Joins the transcripts of overlapping audio windows without duplicating or dropping words. Each
 * window's words carry times (absolute, in seconds); where two windows overlap, the word sequences
 * are aligned (longest run of equal normalised words) and the text switches from the earlier to the
 * later window in the middle of that run. With no agreement in the overlap, the switch happens at
 * the overlap's midpoint by time.
 */

/** A word with its position in the audio. */
export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

/** One window's words, and the audio span the window covered. */
export interface WindowWords {
  start: number;
  end: number;
  words: TimedWord[];
}

const norm = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}']+/gu, '');

/**
 * Splits timed segments into words, spreading each segment's time over its words by length (the
 * granularity Whisper's segment timestamps allow).
 */
export function wordsFromSegments(
  segments: readonly { start: number; end: number; text: string }[]
): TimedWord[] {
  const words: TimedWord[] = [];
  for (const s of segments) {
    const parts = s.text.split(/\s+/).filter((p) => p !== '');
    const total = parts.reduce((n, p) => n + p.length + 1, 0);
    let at = s.start;
    for (const p of parts) {
      const span = ((s.end - s.start) * (p.length + 1)) / Math.max(1, total);
      words.push({ text: p, start: at, end: at + span });
      at += span;
    }
  }
  return words;
}

/** Longest run of equal normalised words between `a` and `b`: [startA, startB, length]. */
function longestRun(a: TimedWord[], b: TimedWord[]): [number, number, number] {
  let best: [number, number, number] = [0, 0, 0];
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const keep = prev[j]!;
      const equal = norm(a[i - 1]!.text) !== '' && norm(a[i - 1]!.text) === norm(b[j - 1]!.text);
      prev[j] = equal ? diag + 1 : 0;
      if (prev[j]! > best[2]) best = [i - prev[j]!, j - prev[j]!, prev[j]!];
      diag = keep;
    }
  }
  return best;
}

/** Stitches two windows (b starts inside a). Slack covers timestamp jitter at the edges. */
export function stitchPair(a: WindowWords, b: WindowWords, slack = 1): WindowWords {
  const overlapStart = b.start;
  const overlapEnd = a.end;
  if (overlapEnd <= overlapStart) {
    return { start: a.start, end: b.end, words: [...a.words, ...b.words] };
  }
  const aFrom = a.words.findIndex((w) => w.end > overlapStart - slack);
  const aTail = aFrom < 0 ? [] : a.words.slice(aFrom);
  const bHeadLength = b.words.findIndex((w) => w.start >= overlapEnd + slack);
  const bHead = b.words.slice(0, bHeadLength < 0 ? b.words.length : bHeadLength);
  const [ia, ib, length] = longestRun(aTail, bHead);
  let keepA: number;
  let skipB: number;
  if (length >= 2 || (length === 1 && aTail.length <= 2)) {
    const half = Math.floor(length / 2);
    keepA = (aFrom < 0 ? a.words.length : aFrom) + ia + half;
    skipB = ib + half;
  } else {
    const mid = (overlapStart + overlapEnd) / 2;
    keepA = a.words.filter((w) => (w.start + w.end) / 2 < mid).length;
    skipB = b.words.filter((w) => (w.start + w.end) / 2 < mid).length;
  }
  return {
    start: a.start,
    end: b.end,
    words: [...a.words.slice(0, keepA), ...b.words.slice(skipB)]
  };
}

/** Stitches windows in time order. */
export function stitchWindows(windows: readonly WindowWords[]): WindowWords {
  if (windows.length === 0) return { start: 0, end: 0, words: [] };
  return windows.slice(1).reduce((acc, w) => stitchPair(acc, w), windows[0]!);
}

/** Plans windows of `size` samples overlapping by `overlap` over [start, end). */
export function planWindows(
  start: number,
  end: number,
  size: number,
  overlap: number
): [number, number][] {
  if (end - start <= size) return [[start, end]];
  const windows: [number, number][] = [];
  for (let at = start; ; at += size - overlap) {
    const stop = Math.min(end, at + size);
    windows.push([at, stop]);
    if (stop >= end) break;
  }
  return windows;
}

/** Regroups stitched words into sentence-like segments (at sentence ends or every ~12 s). */
export function segmentsFromWords(
  words: readonly { text: string; start: number; end: number }[]
): { start: number; end: number; text: string }[] {
  const segments: { start: number; end: number; text: string }[] = [];
  let current: { start: number; end: number; parts: string[] } | null = null;
  for (const w of words) {
    current ??= { start: w.start, end: w.end, parts: [] };
    current.parts.push(w.text);
    current.end = w.end;
    if (/[.!?]$/.test(w.text) || current.end - current.start > 12) {
      segments.push({ start: current.start, end: current.end, text: current.parts.join(' ') });
      current = null;
    }
  }
  if (current)
    segments.push({ start: current.start, end: current.end, text: current.parts.join(' ') });
  return segments;
}
