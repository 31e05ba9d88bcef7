/** The app's one embedding worker client (created on first use). */
import { EmbeddingClient } from './embedding-client';

let client: EmbeddingClient | null = null;

/** The shared client of `embedding.worker.ts`. */
export function embedder(): EmbeddingClient {
  client ??= new EmbeddingClient(
    () => new Worker(new URL('./embedding.worker.ts', import.meta.url), { type: 'module' })
  );
  return client;
}
