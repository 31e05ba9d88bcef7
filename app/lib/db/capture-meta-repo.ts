/** Edits of a capture's tags and private flag (each one transaction; `updatedAt` moves so search re-indexes). */
import { normalizeTag } from '../search/filters';
import type { LvaDatabase } from './database';
import { guardWrite } from './db-lifecycle';
import type { CaptureId } from './ids';

/** The capture no longer exists (deleted in this or another tab). */
export class CaptureMissingError extends Error {
  override name = 'CaptureMissingError';
  readonly code = 'capture_missing' as const;
  constructor() {
    super('This capture no longer exists (it may have been deleted in another tab).');
  }
}

/** Tags as stored: normalized, non-empty, unique, in the order given. */
export function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTag).filter((t) => t !== ''))].slice(0, 20);
}

/** Replaces a capture's tags. */
export async function setTags(
  db: LvaDatabase,
  id: CaptureId,
  tags: readonly string[],
  now = Date.now()
): Promise<string[]> {
  const clean = cleanTags(tags);
  await guardWrite(() =>
    db.transaction('rw', db.captures, async () => {
      const updated = await db.captures.update(id, { tags: clean, updatedAt: now });
      if (updated === 0) throw new CaptureMissingError();
    })
  );
  return clean;
}

/** Marks a capture private (searchable here, never sent anywhere) or not. */
export async function setPrivate(
  db: LvaDatabase,
  id: CaptureId,
  isPrivate: boolean,
  now = Date.now()
): Promise<void> {
  await guardWrite(() =>
    db.transaction('rw', db.captures, async () => {
      const updated = await db.captures.update(id, { private: isPrivate, updatedAt: now });
      if (updated === 0) throw new CaptureMissingError();
    })
  );
}
