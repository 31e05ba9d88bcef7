/**
 * Loading every capture into the search index without freezing the page: captures are read in
 * pages by primary key and indexed in slices of a few milliseconds, yielding to the page between
 * slices so typing and scrolling stay responsive (no main-thread task over 50 ms).
 */
import type { CaptureRecord, LvaDatabase } from '../db/database';
import type { CaptureId } from '../db/ids';

const PAGE = 400;
const SLICE_MS = 12;

/** Gives the page a turn (input, rendering) before continuing. */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Feeds every capture to `index`, slice by slice; returns the highest `updatedAt` seen. */
export async function loadCapturesInSlices(
  db: LvaDatabase,
  index: (capture: CaptureRecord) => void
): Promise<number> {
  let watermark = 0;
  let last: CaptureId | null = null;
  for (;;) {
    const collection =
      last === null ? db.captures.toCollection() : db.captures.where(':id').above(last);
    const page: CaptureRecord[] = await collection.limit(PAGE).toArray();
    let sliceStart = performance.now();
    for (const capture of page) {
      index(capture);
      watermark = Math.max(watermark, capture.updatedAt);
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToPage();
        sliceStart = performance.now();
      }
    }
    if (page.length < PAGE) return watermark;
    last = page.at(-1)!.id;
    await yieldToPage();
  }
}
