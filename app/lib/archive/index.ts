/** The archive: export the library as one zip, import it back (or Markdown notes), safely. */
export { ArchiveError, type ArchiveErrorCode } from './errors';
export { exportArchive, type ExportOptions, type ExportProgress } from './export';
export { ARCHIVE_FORMAT_VERSION } from './format';
export { readArchive, type StagedArchive } from './import-read';
export {
  commitImport,
  planImport,
  type ImportPlan,
  type ImportSummary,
  type TableSummary
} from './import-plan';
export { notesToStaged, type NoteFile } from './markdown-import';
export { blobSource, bytesSource, type ArchiveSource } from './source';
export type { ArchiveSink } from './zip-writer';
