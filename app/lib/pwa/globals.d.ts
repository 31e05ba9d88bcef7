/** Build-time constants defined in vite.config.ts (shared by the app and the service worker). */
declare const __LVA_CACHES__: { models: string; ort: string };
declare const __LVA_APP_VERSION__: string;
