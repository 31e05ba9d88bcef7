/** Seeding captures straight into the app's IndexedDB, as an earlier session would have left them. */
import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  defaultSourceDir,
  generateVariant,
  VARIANTS
} from '../../scripts/generate-embedding-models.js';

/**
 * The generated tiny embedding model, written (once, cached) outside the build: tests route
 * /models/lva-generated/** to it, so generated weights never ship with the app.
 */
export function generatedModelsDir(): string {
  const dir = resolve(import.meta.dirname, '../../test-results/.generated-models');
  mkdirSync(dir, { recursive: true });
  generateVariant(VARIANTS.tiny, dir, defaultSourceDir());
  return dir;
}

/** The fields a seeded capture sets; the rest get plain defaults. */
export interface Seed {
  id: string;
  title: string;
  text: string;
  tags?: string[];
  source?: 'mic' | 'import' | 'markdown';
  /** Days after 2026-01-01 (local time). */
  day: number;
  private?: boolean;
}

/** Opens the app once (creating the current schema), writes the captures, and reloads. */
export async function seedCaptures(page: Page, url: string, seeds: Seed[]): Promise<void> {
  await page.goto(url);
  await page.getByPlaceholder('Search your captures').waitFor();
  await page.evaluate(async (captures) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('learning-voice-agent');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('captures', 'readwrite');
      for (const seed of captures) {
        const at = new Date(2026, 0, 1 + seed.day, 12).getTime();
        tx.objectStore('captures').put({
          id: seed.id,
          createdAt: at,
          updatedAt: at,
          title: seed.title,
          text: seed.text,
          segments: [],
          language: 'english',
          modelId: 'seeded',
          source: seed.source ?? 'mic',
          audioId: null,
          durationMs: 20_000,
          status: 'ready',
          error: null,
          tags: seed.tags ?? [],
          private: seed.private ?? false
        });
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB request failed'));
    });
    db.close();
  }, seeds);
  await page.reload();
}

/** A small library about several topics. */
export const LIBRARY: Seed[] = [
  {
    id: 'c-photo',
    title: 'How plants make sugar',
    text: 'Photosynthesis turns light energy into chemical energy. Chlorophyll in the leaves absorbs red and blue light.',
    tags: ['biology', 'exam'],
    day: 2
  },
  {
    id: 'c-chloro',
    title: 'Why leaves are green',
    text: 'Chlorophyll reflects green light, which is why leaves look green. In autumn the chlorophyll breaks down.',
    tags: ['biology'],
    day: 10
  },
  {
    id: 'c-mito',
    title: 'Powerhouse of the cell',
    text: 'Mitochondria produce ATP through cellular respiration, using oxygen and glucose.',
    tags: ['biology'],
    source: 'import',
    day: 20
  },
  {
    id: 'c-rome',
    title: 'Fall of Rome',
    text: 'The Western Roman Empire fell in 476 when Odoacer deposed Romulus Augustulus.',
    tags: ['history'],
    day: 30
  },
  {
    id: 'c-diary',
    title: 'Private reflection',
    text: 'My private thoughts about the exam: I understand respiration but not photosynthesis yet.',
    tags: [],
    day: 40,
    private: true
  }
];
