/** The PWA's pure rules: backup reminders, eviction warnings, iOS detection, cache versions. */
import { describe, expect, it } from 'vitest';
import { backupDue, daysSince, readBackupState, writeBackupState } from '$lib/pwa/backup-reminder';
import { MODEL_CACHE, ORT_CACHE, isStaleVersionedCache } from '$lib/pwa/cache-names';
import { isIosSafari, isSafari } from '$lib/pwa/install';
import { evictionWarning, formatBytes } from '$lib/pwa/storage';

const DAY = 86_400_000;
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const IPAD_AS_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const CHROME_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1';
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36';

describe('backup reminders', () => {
  const now = Date.UTC(2026, 10, 24);
  it('reminds only when there is something to lose and the interval has passed', () => {
    expect(backupDue({ lastBackupAt: null, remindDays: 7 }, 0, null, now)).toBe(false);
    expect(backupDue({ lastBackupAt: null, remindDays: 7 }, 3, now - 2 * DAY, now)).toBe(false);
    expect(backupDue({ lastBackupAt: null, remindDays: 7 }, 3, now - 8 * DAY, now)).toBe(true);
    expect(backupDue({ lastBackupAt: now - 6 * DAY, remindDays: 7 }, 3, now - 80 * DAY, now)).toBe(
      false
    );
    expect(backupDue({ lastBackupAt: now - 7 * DAY, remindDays: 7 }, 3, now - 80 * DAY, now)).toBe(
      true
    );
    expect(backupDue({ lastBackupAt: now - 90 * DAY, remindDays: 0 }, 3, now - 90 * DAY, now)).toBe(
      false
    );
    expect(daysSince(now - 3.5 * DAY, now)).toBe(3);
  });

  it('keeps its state in storage and survives garbage there', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v)
    };
    expect(readBackupState(storage)).toEqual({ lastBackupAt: null, remindDays: 7 });
    writeBackupState({ lastBackupAt: 1234, remindDays: 14 }, storage);
    expect(readBackupState(storage)).toEqual({ lastBackupAt: 1234, remindDays: 14 });
    store.set('lva.backup.remindDays', 'soon');
    store.set('lva.backup.lastAt', '-5');
    expect(readBackupState(storage)).toEqual({ lastBackupAt: null, remindDays: 7 });
  });
});

describe('eviction warnings and install guidance', () => {
  it('warns in Safari (7-day deletion) and wherever storage is not persistent', () => {
    expect(evictionWarning(false, IPHONE)).toMatch(/Safari deletes.*7 days.*Home Screen/);
    expect(evictionWarning(true, IPHONE)).toMatch(/Safari deletes/);
    expect(evictionWarning(false, CHROME)).toMatch(/may clear/);
    expect(evictionWarning(true, CHROME)).toBeNull();
  });

  it('recognises iOS Safari, including iPadOS posing as a Mac, but not Chrome on iOS', () => {
    expect(isIosSafari(IPHONE, 5)).toBe(true);
    expect(isIosSafari(IPAD_AS_MAC, 5)).toBe(true);
    expect(isIosSafari(IPAD_AS_MAC, 0)).toBe(false);
    expect(isIosSafari(CHROME_IOS, 5)).toBe(false);
    expect(isIosSafari(CHROME, 0)).toBe(false);
    expect(isSafari(IPAD_AS_MAC)).toBe(true);
    expect(isSafari(CHROME)).toBe(false);
  });

  it('formats sizes in words', () => {
    expect(formatBytes(null)).toBe('unknown');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(41_139_000)).toBe('41 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
  });
});

describe('cache versions', () => {
  it('names model and runtime caches after their pins, and only older versions are stale', () => {
    expect(MODEL_CACHE).toMatch(/^lva-models-[0-9a-f]{12}$/);
    expect(ORT_CACHE).toMatch(/^lva-ort-\d+\.\d+/);
    expect(isStaleVersionedCache(MODEL_CACHE)).toBe(false);
    expect(isStaleVersionedCache(ORT_CACHE)).toBe(false);
    expect(isStaleVersionedCache('lva-models-000000000000')).toBe(true);
    expect(isStaleVersionedCache('lva-ort-1.0.0')).toBe(true);
    expect(isStaleVersionedCache('transformers-cache')).toBe(false);
    expect(isStaleVersionedCache('lva-shell-http://localhost/')).toBe(false);
  });
});
