// A single-page app: everything renders in the browser (IndexedDB, microphone, workers), and the
// static adapter's index.html fallback serves every route.
export const ssr = false;
export const prerender = false;
