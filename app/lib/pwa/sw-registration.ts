/**
 * Registers the service worker through workbox-window and reports what the page needs to know:
 * when a new version waits, and when the service worker controls the page. A waiting version only
 * takes over when {@link ServiceWorkerHandle.activateUpdate} is called (after the person agreed).
 */
import { Workbox } from 'workbox-window';

/** Events from the registration. */
export interface SwCallbacks {
  /** A new version is installed and waits for consent. */
  onUpdateWaiting(): void;
  /** A service worker controls this page (first install, or after an update). */
  onControlling(isUpdate: boolean): void;
  /** Registration failed (e.g. private mode): the app still works online. */
  onError(error: Error): void;
}

/** The registered service worker. */
export interface ServiceWorkerHandle {
  /** Tells the waiting version to take over; the page reloads once it controls the page. */
  activateUpdate(): void;
  /** Asks the server whether a new version exists. */
  checkForUpdate(): Promise<void>;
}

/** How long a consented update waits for the new version to take over before reloading anyway. */
const RELOAD_FALLBACK_MS = 8_000;

/** Registers `/service-worker.js`; null where service workers are unavailable. */
export function registerServiceWorker(callbacks: SwCallbacks): ServiceWorkerHandle | null {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  const wb = new Workbox('/service-worker.js', { scope: '/' });
  let reloadOnControl = false;
  let reloading = false;
  const reload = () => {
    if (!reloadOnControl || reloading) return;
    reloading = true;
    window.location.reload();
  };
  wb.addEventListener('waiting', () => callbacks.onUpdateWaiting());
  wb.addEventListener('controlling', (event) => callbacks.onControlling(event.isUpdate === true));
  // The browser's own event, not Workbox's 'controlling': Workbox only reports a version it saw
  // being installed, and a second update found meanwhile (checks on focus, hourly, by button) would
  // leave the consented reload waiting forever.
  navigator.serviceWorker.addEventListener('controllerchange', reload);
  wb.register().catch((err: unknown) =>
    callbacks.onError(err instanceof Error ? err : new Error(String(err)))
  );
  return {
    activateUpdate() {
      reloadOnControl = true;
      // The registration as the browser has it now (Workbox's view can lag behind a later check):
      // tell the waiting version to take over, and reload when it is active even if this page
      // missed the controllerchange.
      void navigator.serviceWorker.getRegistration().then((registration) => {
        const next = registration?.waiting ?? registration?.installing;
        if (!next) return wb.messageSkipWaiting();
        next.addEventListener('statechange', () => next.state === 'activated' && reload());
        next.postMessage({ type: 'SKIP_WAITING' });
      });
      // The person asked for a reload: it happens even if neither event arrives (seen in Chromium
      // under load). A version still waiting then simply offers itself again after the reload.
      setTimeout(reload, RELOAD_FALLBACK_MS);
    },
    async checkForUpdate() {
      await wb.update();
    }
  };
}
