/**
 * Where an export goes. Where the browser can write a file directly (File System Access API), the
 * archive streams to disk as it is made; elsewhere its chunks become a Blob (which browsers keep
 * on disk when large) handed to the person as a download.
 */
import type { ArchiveSink } from '../archive';

/** A sink plus what to do once the archive is complete. */
export interface ExportTarget {
  sink: ArchiveSink;
  /** Starts the download (Blob fallback); nothing for a file written directly. */
  finish(): void;
  /** Whether the file streams straight to disk. */
  streaming: boolean;
}

interface SaveFilePicker {
  (options: {
    suggestedName: string;
    types: { description: string; accept: Record<string, string[]> }[];
  }): Promise<{
    createWritable(): Promise<
      WritableStream<Uint8Array> & {
        close(): Promise<void>;
        abort(reason?: unknown): Promise<void>;
      }
    >;
  }>;
}

/** Asks where to save (or prepares a download); null when the person cancelled the save dialog. */
export async function chooseExportTarget(fileName: string): Promise<ExportTarget | null> {
  const picker = (window as Window & { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
  if (picker) {
    try {
      const handle = await picker({
        suggestedName: fileName,
        types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }]
      });
      const writable = await handle.createWritable();
      const writer = writable.getWriter();
      return {
        streaming: true,
        finish: () => undefined,
        sink: {
          write: (chunk) => writer.write(chunk),
          close: () => writer.close(),
          abort: (reason) => writer.abort(reason)
        }
      };
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return null;
      // Anything else (blocked by policy, unsupported type): fall back to a download.
    }
  }
  const parts: BlobPart[] = [];
  let blob: Blob | null = null;
  return {
    streaming: false,
    sink: {
      write: (chunk) => {
        parts.push(chunk.slice());
        return Promise.resolve();
      },
      close: () => {
        blob = new Blob(parts, { type: 'application/zip' });
        parts.length = 0;
        return Promise.resolve();
      },
      abort: () => {
        parts.length = 0;
        return Promise.resolve();
      }
    },
    finish: () => {
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    }
  };
}
