/** Records to JSON lines and back; the few binary fields travel as base64 or as their own entries. */
import type { EmbeddingRecord } from '../db/records';

/** Bytes as base64 (chunked so large buffers do not overflow the argument list). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** base64 to bytes; throws on anything that is not base64. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A copy of some bytes as a standalone ArrayBuffer (what IndexedDB records hold). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** An embedding as an archive line. */
export function embeddingToLine(record: EmbeddingRecord): Record<string, unknown> {
  return { ...record, vector: toBase64(new Uint8Array(record.vector)) };
}

/**
 * JSON with object keys sorted, so two records with the same content compare equal whatever the
 * order their fields were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof ArrayBuffer) return { $bytes: toBase64(new Uint8Array(v)) };
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}
