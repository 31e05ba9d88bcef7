/**
 * A loopback HTTP server for the search benchmark page: the bundled harness, its data, with the
 * app's cross-origin isolation headers (so Chromium behaves as it does for the app).
 */
import { createServer, type Server } from 'node:http';

/** A served file: bytes and content type. */
export interface Served {
  body: Uint8Array | string;
  type: string;
}

/** Starts the server on a free loopback port. */
export async function serveBench(
  files: Map<string, Served>
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://x').pathname);
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (!file) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}
