import { getDb } from '../db/database';
import { isIosSafari, isStandalone, type InstallPromptEvent } from '../pwa/install';
import { registerServiceWorker, type ServiceWorkerHandle } from '../pwa/sw-registration';
import { healthManager } from './health-manager.svelte';
import { LiveQueryValue } from './live-query.svelte';
import { recorderManager } from './recorder-manager.svelte';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * The installable, offline side of the app: service worker registration and the consent-based
 * update, the install prompt (or iOS guidance), network status, and requests waiting offline.
 */
class PwaManager {
  #handle: ServiceWorkerHandle | null = null;
  #started = false;
  #updateWaiting = $state(false);
  #updateBlocked = $state<string | null>(null);
  #controlled = $state(false);
  #swError = $state<string | null>(null);
  #installPrompt = $state.raw<InstallPromptEvent | null>(null);
  #installed = $state(false);
  #online = $state(true);
  /** Requests waiting in the outbox for the network. */
  readonly waiting = new LiveQueryValue(() => getDb().outbox.count(), 0);

  get updateWaiting(): boolean {
    return this.#updateWaiting;
  }
  /** Why the update cannot happen right now (a recording is running). */
  get updateBlocked(): string | null {
    return this.#updateBlocked;
  }
  /** Whether a service worker controls the page (the app works offline). */
  get controlled(): boolean {
    return this.#controlled;
  }
  get serviceWorkerError(): string | null {
    return this.#swError;
  }
  /** Whether the browser offers to install the app now. */
  get canInstall(): boolean {
    return this.#installPrompt !== null && !this.#installed;
  }
  /** Whether to show iOS's manual "Add to Home Screen" steps. */
  get showIosGuidance(): boolean {
    return !this.#installed && isIosSafari();
  }
  get installed(): boolean {
    return this.#installed;
  }
  get online(): boolean {
    return this.#online;
  }

  /** Registers the service worker and starts listening (once; skipped after data deletion). */
  start(): void {
    if (this.#started || typeof window === 'undefined') return;
    this.#started = true;
    this.#installed = isStandalone();
    this.#online = navigator.onLine;
    window.addEventListener('online', () => {
      this.#online = true;
      void healthManager.refresh();
    });
    window.addEventListener('offline', () => (this.#online = false));
    window.addEventListener('beforeinstallprompt', (event) => {
      // Keep the browser's mini-infobar away; the app shows its own Install button.
      event.preventDefault();
      this.#installPrompt = event as InstallPromptEvent;
    });
    window.addEventListener('appinstalled', () => {
      this.#installed = true;
      this.#installPrompt = null;
    });
    this.#controlled = navigator.serviceWorker?.controller != null;
    this.#handle = registerServiceWorker({
      onUpdateWaiting: () => (this.#updateWaiting = true),
      onControlling: () => (this.#controlled = true),
      onError: (err) =>
        (this.#swError = `Offline use is not available in this browser: ${err.message}`)
    });
    const check = () => void this.#handle?.checkForUpdate().catch(() => undefined);
    setInterval(check, UPDATE_CHECK_MS);
    document.addEventListener(
      'visibilitychange',
      () => document.visibilityState === 'visible' && check()
    );
  }

  /**
   * Switches to the waiting version and reloads, with the person's consent. Refused while a
   * recording runs: a reload would end it (its audio would only survive up to the last chunk).
   */
  applyUpdate(): boolean {
    if (recorderManager.status !== 'idle' || recorderManager.finishing) {
      this.#updateBlocked = 'Finish or stop your recording first; the update will wait.';
      return false;
    }
    this.#updateBlocked = null;
    this.#handle?.activateUpdate();
    return true;
  }

  /** Checks the server for a new version now. */
  async checkForUpdate(): Promise<void> {
    await this.#handle?.checkForUpdate();
  }

  /** Shows the browser's install dialog. */
  async install(): Promise<void> {
    const prompt = this.#installPrompt;
    if (!prompt) return;
    await prompt.prompt();
    const choice = await prompt.userChoice;
    this.#installPrompt = null;
    if (choice.outcome === 'accepted') this.#installed = true;
  }
}

/** Installability, updates and network status for the whole app. */
export const pwaManager = new PwaManager();
