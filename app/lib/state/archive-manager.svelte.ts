import {
  ArchiveError,
  blobSource,
  commitImport,
  exportArchive,
  notesToStaged,
  planImport,
  readArchive,
  type ExportProgress,
  type ImportPlan,
  type ImportSummary,
  type NoteFile
} from '../archive';
import { getDb, SCHEMA_VERSION } from '../db/database';
import { APP_VERSION } from '../pwa/cache-names';
import { chooseExportTarget } from '../pwa/file-sink';
import { storageManager } from './storage-manager.svelte';

/** Where an import is. */
export type ImportStage = 'idle' | 'checking' | 'review' | 'writing' | 'done' | 'error';

const words = (err: unknown) =>
  err instanceof ArchiveError
    ? err.message
    : `Something went wrong: ${err instanceof Error ? err.message : String(err)}`;

/** Export and import of the whole library, with progress and a dry run before any write. */
class ArchiveManager {
  #exporting = $state(false);
  #exportProgress = $state.raw<ExportProgress | null>(null);
  #exportMessage = $state<string | null>(null);
  #exportError = $state<string | null>(null);
  #stage = $state<ImportStage>('idle');
  #progress = $state<{ done: number; total: number } | null>(null);
  #plan = $state.raw<ImportPlan | null>(null);
  #result = $state.raw<ImportSummary | null>(null);
  #importError = $state<string | null>(null);
  #importName = $state('');

  get exporting(): boolean {
    return this.#exporting;
  }
  get exportProgress(): ExportProgress | null {
    return this.#exportProgress;
  }
  get exportMessage(): string | null {
    return this.#exportMessage;
  }
  get exportError(): string | null {
    return this.#exportError;
  }
  get stage(): ImportStage {
    return this.#stage;
  }
  get progress(): { done: number; total: number } | null {
    return this.#progress;
  }
  get plan(): ImportPlan | null {
    return this.#plan;
  }
  get result(): ImportSummary | null {
    return this.#result;
  }
  get importError(): string | null {
    return this.#importError;
  }
  get importName(): string {
    return this.#importName;
  }

  /** Exports everything as one zip, streamed to a file or a download. */
  async exportLibrary(includeEmbeddings: boolean, now = new Date()): Promise<void> {
    if (this.#exporting) return;
    this.#exportError = null;
    this.#exportMessage = null;
    const name = `learning-voice-agent-${now.toISOString().slice(0, 10)}.zip`;
    const target = await chooseExportTarget(name);
    if (!target) return;
    this.#exporting = true;
    try {
      const manifest = await exportArchive(getDb(), target.sink, {
        includeEmbeddings,
        appVersion: APP_VERSION,
        schemaVersion: SCHEMA_VERSION,
        onProgress: (p) => (this.#exportProgress = p)
      });
      target.finish();
      storageManager.markBackedUp();
      const captures = manifest.counts.captures ?? 0;
      this.#exportMessage = `Exported ${captures} capture${captures === 1 ? '' : 's'} to ${name}.`;
    } catch (err) {
      this.#exportError = words(err);
    } finally {
      this.#exporting = false;
    }
  }

  /** Checks picked files (one archive, or Markdown notes) and shows what importing would do. */
  async check(files: File[]): Promise<void> {
    this.#reset();
    if (files.length === 0) return;
    this.#stage = 'checking';
    this.#importName = files.length === 1 ? files[0]!.name : `${files.length} notes`;
    try {
      const notes = files.filter((f) => /\.(md|markdown)$/i.test(f.name));
      let staged;
      if (notes.length === files.length) {
        const read: NoteFile[] = [];
        for (const f of notes)
          read.push({ name: f.name, text: await f.text(), lastModified: f.lastModified });
        staged = notesToStaged(read);
      } else if (files.length === 1) {
        staged = await readArchive(
          blobSource(files[0]!),
          (done, total) => (this.#progress = { done, total })
        );
      } else {
        throw new ArchiveError(
          'not_an_archive',
          'Pick one archive (.zip), or any number of Markdown notes (.md).'
        );
      }
      this.#plan = await planImport(getDb(), staged);
      this.#stage = 'review';
    } catch (err) {
      this.#importError = words(err);
      this.#stage = 'error';
    }
  }

  /** Recomputes the dry run with the other conflict choice. */
  async setPreferArchive(prefer: boolean): Promise<void> {
    if (!this.#plan) return;
    this.#plan = await planImport(getDb(), this.#plan.staged, prefer);
  }

  /** Writes the reviewed import, all of it or nothing. */
  async confirm(): Promise<void> {
    const plan = this.#plan;
    if (!plan || this.#stage !== 'review') return;
    this.#stage = 'writing';
    this.#progress = null;
    try {
      this.#result = await commitImport(
        getDb(),
        plan,
        (done, total) => (this.#progress = { done, total })
      );
      this.#stage = 'done';
    } catch (err) {
      this.#importError = words(err);
      this.#stage = 'error';
    } finally {
      this.#plan = null;
    }
  }

  /** Drops the reviewed import without writing. */
  cancel(): void {
    this.#reset();
  }

  #reset(): void {
    this.#stage = 'idle';
    this.#plan = null;
    this.#result = null;
    this.#importError = null;
    this.#progress = null;
  }
}

/** Export and import for the whole app. */
export const archiveManager = new ArchiveManager();
