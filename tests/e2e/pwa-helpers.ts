/** Helpers for the PWA and archive browser tests: service worker state, caches, IndexedDB dumps. */
import { expect, type Page } from '@playwright/test';

/** Waits until a service worker controls the page (the app works offline from then on). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
    timeout: 60_000
  });
}

/** Waits until the speech model and runtime are kept for offline use (as settings shows). */
export async function waitForOfflineSpeech(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const names = await caches.keys();
          const models = names.find((n) => n.startsWith('lva-models-'));
          const ort = names.find((n) => n.startsWith('lva-ort-'));
          if (!models || !ort) return 0;
          const m = (await (await caches.open(models)).keys()).filter((r) =>
            r.url.endsWith('.onnx')
          );
          const o = (await (await caches.open(ort)).keys()).filter((r) => r.url.endsWith('.wasm'));
          return m.length + o.length;
        }),
      { timeout: 120_000 }
    )
    .toBe(3);
}

/**
 * Every record of the app's IndexedDB, as sorted canonical JSON per store (ArrayBuffers as
 * base64): two libraries with the same content give the same dump.
 */
export function dumpLibrary(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const canonical = (value: unknown): string =>
      JSON.stringify(value, (_k, v: unknown) => {
        if (v instanceof ArrayBuffer) {
          let s = '';
          for (const b of new Uint8Array(v)) s += String.fromCharCode(b);
          return { $bytes: btoa(s) };
        }
        if (v && typeof v === 'object' && !Array.isArray(v))
          return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
        return v;
      });
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('learning-voice-agent');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new Error(String(req.error)));
    });
    const out: Record<string, string[]> = {};
    for (const name of [...db.objectStoreNames].filter((n) => n !== 'outbox')) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).getAll();
        req.onsuccess = () => resolve(req.result as unknown[]);
        req.onerror = () => reject(new Error(String(req.error)));
      });
      // Derived index state (DEVICE_STATE_SETTINGS) is rebuilt by each device, not data.
      const kept =
        name === 'settings'
          ? rows.filter(
              (r) => !/^(search\.snapshot|embedding\.)/.test(String((r as { key?: unknown }).key))
            )
          : rows;
      out[name] = kept.map(canonical).sort();
    }
    db.close();
    return out;
  });
}

/** What is left of the app in the browser: databases, caches, service workers, local storage. */
export function leftovers(page: Page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
    localStorage: localStorage.length
  }));
}
