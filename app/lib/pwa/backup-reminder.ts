/** When to remind the person to export a backup; the last export time is kept per device. */

const LAST_BACKUP_KEY = 'lva.backup.lastAt';
const INTERVAL_KEY = 'lva.backup.remindDays';

/** Reminder intervals offered in settings (0 turns reminders off). */
export const REMIND_OPTIONS = [3, 7, 14, 30, 0] as const;
/** Default reminder interval, in days. */
export const DEFAULT_REMIND_DAYS = 7;

/** The stored backup state. */
export interface BackupState {
  lastBackupAt: number | null;
  remindDays: number;
}

/** Reads the backup state from localStorage. */
export function readBackupState(
  storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage
): BackupState {
  const last = Number(storage?.getItem(LAST_BACKUP_KEY) ?? NaN);
  const days = Number(storage?.getItem(INTERVAL_KEY) ?? NaN);
  return {
    lastBackupAt: Number.isFinite(last) && last > 0 ? last : null,
    remindDays: Number.isFinite(days) && days >= 0 ? days : DEFAULT_REMIND_DAYS
  };
}

/** Saves the backup state. */
export function writeBackupState(
  state: BackupState,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage
): void {
  try {
    if (state.lastBackupAt !== null) storage?.setItem(LAST_BACKUP_KEY, String(state.lastBackupAt));
    storage?.setItem(INTERVAL_KEY, String(state.remindDays));
  } catch {
    // Storage blocked: the reminder simply shows again next time.
  }
}

/**
 * Whether to remind now: there is something to lose, reminders are on, and no backup was made
 * within the interval (counted from the oldest capture when there never was one).
 */
export function backupDue(
  state: BackupState,
  captureCount: number,
  oldestCaptureAt: number | null,
  now = Date.now()
): boolean {
  if (captureCount === 0 || state.remindDays === 0) return false;
  const since = state.lastBackupAt ?? oldestCaptureAt ?? now;
  return now - since >= state.remindDays * 86_400_000;
}

/** Whole days since a time. */
export function daysSince(at: number | null, now = Date.now()): number | null {
  return at === null ? null : Math.floor((now - at) / 86_400_000);
}
