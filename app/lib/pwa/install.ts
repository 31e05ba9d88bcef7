/** Installing the app: the browser's install prompt where it offers one, and iOS's manual way. */

/** Chromium's `beforeinstallprompt` event (not in the DOM typings). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Whether the app runs installed (standalone window, or iOS home-screen app). */
export function isStandalone(): boolean {
  if (typeof window === 'undefined') return false;
  const nav = navigator as Navigator & { standalone?: boolean };
  return (
    window.matchMedia?.('(display-mode: standalone)').matches === true || nav.standalone === true
  );
}

/** iPhone/iPad Safari, where installing is "Share → Add to Home Screen" and no prompt exists. */
export function isIosSafari(
  ua = typeof navigator === 'undefined' ? '' : navigator.userAgent,
  touchPoints = typeof navigator === 'undefined' ? 0 : navigator.maxTouchPoints
): boolean {
  // iPadOS reports itself as a Mac; touch points tell them apart.
  const ios = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && touchPoints > 1);
  return ios && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua);
}

/** Safari (any platform): it deletes script-written storage of sites unused for 7 days, unless installed. */
export function isSafari(
  ua = typeof navigator === 'undefined' ? '' : navigator.userAgent
): boolean {
  return /Safari/.test(ua) && !/Chrome|Chromium|CriOS|Android|Edg|FxiOS/.test(ua);
}
