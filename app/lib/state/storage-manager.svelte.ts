import {
  backupDue,
  daysSince,
  readBackupState,
  writeBackupState,
  type BackupState
} from '../pwa/backup-reminder';
import {
  listCachedModels,
  makeAvailableOffline,
  removeCachedModel,
  RUNTIME_ID,
  type CachedModel
} from '../pwa/model-cache';
import { deleteAllData, type DeletionReport } from '../pwa/delete-all-data';
import { evictionWarning, readStorage, requestPersistence, type StorageInfo } from '../pwa/storage';
import { capturesManager } from './captures-manager.svelte';
import { modelsManager } from './models-manager.svelte';

/** Space used, persistence, downloaded models, backup reminders and "delete all my data". */
class StorageManager {
  #info = $state.raw<StorageInfo | null>(null);
  #models = $state.raw<CachedModel[]>([]);
  #busy = $state<Record<string, string>>({});
  #error = $state<string | null>(null);
  #backup = $state.raw<BackupState>(readBackupState());
  #deleted = $state.raw<DeletionReport | null>(null);
  #warmed = false;
  #askedPersist = false;

  get info(): StorageInfo | null {
    return this.#info;
  }
  get models(): CachedModel[] {
    return this.#models;
  }
  /** What is happening to a model now ("Downloading 3 of 7", "Removing"), by id. */
  busy(id: string): string | null {
    return this.#busy[id] ?? null;
  }
  get error(): string | null {
    return this.#error;
  }
  get warning(): string | null {
    return evictionWarning(this.#info?.persisted ?? null);
  }
  get backup(): BackupState {
    return this.#backup;
  }
  /** Whole days since the last export (null: never). */
  get daysSinceBackup(): number | null {
    return daysSince(this.#backup.lastBackupAt);
  }
  /** Whether to remind about a backup now. */
  get backupDue(): boolean {
    const captures = capturesManager.all.current;
    const oldest = captures.length ? Math.min(...captures.map((c) => c.createdAt)) : null;
    return backupDue(this.#backup, captures.length, oldest);
  }
  /** Set once everything was deleted; the app then shows only a confirmation. */
  get deleted(): DeletionReport | null {
    return this.#deleted;
  }

  /** Re-reads usage, quota, persistence and the model caches. */
  async refresh(): Promise<void> {
    try {
      this.#info = await readStorage();
      // Which models this deployment has comes from /models/status.json (fetched at start).
      if (modelsManager.current === null) await modelsManager.refresh();
      const available = (modelsManager.current ?? []).filter((m) => m.available).map((m) => m.id);
      this.#models = await listCachedModels(available);
    } catch (err) {
      this.#error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Asks the browser to keep the data when space runs low. */
  async persist(): Promise<boolean> {
    const granted = await requestPersistence();
    await this.refresh();
    return granted;
  }

  /**
   * Once per session, when the library holds something: asks for persistent storage without being
   * asked (Chromium decides silently from engagement or installation; others may prompt).
   */
  async persistOnce(): Promise<void> {
    if (this.#askedPersist || this.#info?.persisted) return;
    this.#askedPersist = true;
    await this.persist();
  }

  /** Downloads whatever a model (or the runtime) still lacks for offline use. */
  async download(id: string): Promise<void> {
    const model = this.#models.find((m) => m.id === id);
    if (!model) return;
    this.#error = null;
    try {
      await makeAvailableOffline(
        model,
        (done, total) => (this.#busy[id] = `Downloading ${done} of ${total} files`)
      );
    } catch (err) {
      this.#error = `${model.label} could not be made available offline: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      delete this.#busy[id];
      await this.refresh();
    }
  }

  /**
   * Once per session, after the speech model has loaded: keeps the speech model and runtime for
   * offline use (they were just downloaded, so this mostly copies from the HTTP cache).
   */
  async keepSpeechOffline(asrModelId: string): Promise<void> {
    if (this.#warmed) return;
    this.#warmed = true;
    if (!this.#models.length) await this.refresh();
    for (const id of [asrModelId, RUNTIME_ID]) {
      const model = this.#models.find((m) => m.id === id);
      if (model && !model.complete) await this.download(id);
    }
  }

  /** Removes a downloaded model; it downloads again when next needed. */
  async remove(id: string): Promise<void> {
    this.#busy[id] = 'Removing';
    try {
      await removeCachedModel(id);
    } finally {
      delete this.#busy[id];
      await this.refresh();
    }
  }

  /** Changes how often to remind about backups (0: never). */
  setRemindDays(days: number): void {
    this.#backup = { ...this.#backup, remindDays: days };
    writeBackupState(this.#backup);
  }

  /** Records that a backup was just made. */
  markBackedUp(now = Date.now()): void {
    this.#backup = { ...this.#backup, lastBackupAt: now };
    writeBackupState(this.#backup);
  }

  /** Deletes everything stored by the app in this browser. */
  async deleteEverything(): Promise<void> {
    this.#deleted = await deleteAllData();
  }
}

/** Storage for the whole app. */
export const storageManager = new StorageManager();
