/**
 * What the benchmark records inside the page: when the microphone opened (the fake device starts
 * playing its file then) and, from a MutationObserver, when each streaming reply first shows text.
 * Timestamps are the page's performance.now(); `timeOrigin` converts them to epoch milliseconds.
 */

/** The page-side record, read back after the run. */
export interface PageProbe {
  timeOrigin: number;
  micOpenedAt: number | null;
  /** performance.now() of each streaming reply's first visible text, in order. */
  firstVisible: number[];
}

declare global {
  interface Window {
    __benchTurn: PageProbe;
  }
}

/**
 * The init script: runs before the app in every document of the page. Serialized into the page,
 * so it uses no imports and no named arrow functions (tsx would wrap them in its `__name` helper).
 */
export function installPageProbe(): void {
  const probe: PageProbe = {
    timeOrigin: performance.timeOrigin,
    micOpenedAt: null,
    firstVisible: []
  };
  window.__benchTurn = probe;
  const media = navigator.mediaDevices;
  const getUserMedia = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    if (constraints?.audio && probe.micOpenedAt === null) probe.micOpenedAt = performance.now();
    return stream;
  };
  const seen = new WeakSet<Element>();
  const observer = new MutationObserver(() => {
    const text = document.querySelector('[data-testid="reply-streaming"] p');
    if (!text || seen.has(text) || !text.textContent?.trim()) return;
    seen.add(text);
    probe.firstVisible.push(performance.now());
  });
  // No named arrow functions here: tsx wraps them in a helper the page does not have.
  const options: MutationObserverInit = { subtree: true, childList: true, characterData: true };
  if (document.documentElement) observer.observe(document.documentElement, options);
  else
    document.addEventListener(
      'DOMContentLoaded',
      function () {
        observer.observe(document.documentElement, options);
      },
      { once: true }
    );
}

/** A stored turn as the benchmark reads it from IndexedDB. */
export interface StoredTurn {
  role: 'user' | 'assistant';
  source: string;
  text: string;
  createdAt: number;
  timings: Record<string, number>;
}

/** Reads every turn from the app's IndexedDB (in the page), oldest first. */
export function readStoredTurns(databaseName: string): Promise<StoredTurn[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(databaseName);
    open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
    open.onsuccess = () => {
      const request = open.result.transaction('turns').objectStore('turns').getAll();
      request.onerror = () => reject(request.error ?? new Error('getAll failed'));
      request.onsuccess = () => {
        const turns = (request.result as StoredTurn[]).map((t) => ({
          role: t.role,
          source: t.source,
          text: t.text,
          createdAt: t.createdAt,
          timings: t.timings ?? {}
        }));
        open.result.close();
        resolve(turns.sort((a, b) => a.createdAt - b.createdAt));
      };
    };
  });
}
