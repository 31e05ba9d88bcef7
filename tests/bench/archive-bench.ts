/**
 * Archive benchmark (`npm run bench:archive`): a library of 10,000 captures with 1 GiB of audio
 * is exported to a zip on disk and imported into an empty database. Prints export and import
 * throughput (captures/s, MB/s) and peak memory, with a reference in the same process (reading
 * and hashing the same archive with Node's native sha256) so figures from a busy machine can be
 * compared as ratios. The last line of output is one JSON object with every figure.
 *
 * Runs in Node on fake-indexeddb (the same Dexie code as the app; no browser): that database keeps
 * everything in memory, so the resident size includes the library itself. "Overhead" is peak
 * resident memory minus the larger of before and after the step (after: the imported library now
 * held by fake-indexeddb, reported as importLibraryRssMB), i.e. what the export or import pipeline
 * itself needed at its worst.
 * Options: LVA_BENCH_CAPTURES (10000), LVA_BENCH_AUDIO_MB (1024).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  blobSource,
  commitImport,
  exportArchive,
  planImport,
  readArchive,
  type ArchiveSink
} from '../../app/lib/archive';
import { encodeWav } from '../../app/lib/audio/wav';
import { LvaDatabase } from '../../app/lib/db/database';
import type { AudioRecord, CaptureRecord } from '../../app/lib/db/records';

const CAPTURES = Number(process.env.LVA_BENCH_CAPTURES ?? 10_000);
const AUDIO_BYTES = Number(process.env.LVA_BENCH_AUDIO_MB ?? 1024) * 1024 * 1024;
const MB = 1_000_000;
const file = join(tmpdir(), `lva-bench-archive-${process.pid}.zip`);

/** Samples resident memory while a step runs; returns the peak. */
async function measure<T>(step: () => Promise<T>): Promise<{
  result: T;
  seconds: number;
  peakRss: number;
  startRss: number;
  endRss: number;
  peakHeap: number;
}> {
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 25);
  const started = performance.now();
  try {
    const result = await step();
    const seconds = (performance.now() - started) / 1000;
    global.gc?.();
    // What stays after the step (an imported library lives in fake-indexeddb's memory).
    const endRss = process.memoryUsage().rss;
    return { result, seconds, peakRss, startRss, endRss, peakHeap };
  } finally {
    clearInterval(timer);
  }
}

function fileSink(path: string): ArchiveSink {
  const stream = createWriteStream(path);
  return {
    async write(chunk) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    }
  };
}

async function seed(db: LvaDatabase): Promise<void> {
  const perCapture = Math.floor(AUDIO_BYTES / CAPTURES);
  const samples = Math.max(1, Math.floor((perCapture - 44) / 2));
  const base = new Uint8Array(
    encodeWav(
      Float32Array.from({ length: samples }, (_, i) => Math.sin(i / 9) * 0.3),
      16_000
    )
  );
  const words =
    'light becomes sugar when chlorophyll absorbs photons and splits water into oxygen'.split(' ');
  for (let start = 0; start < CAPTURES; start += 250) {
    const captures: CaptureRecord[] = [];
    const audio: AudioRecord[] = [];
    for (let i = start; i < Math.min(CAPTURES, start + 250); i++) {
      const id = `bench${String(i).padStart(21, '0')}`;
      const data = base.slice();
      new DataView(data.buffer).setUint32(44, i, true); // every file differs
      const text = Array.from({ length: 120 }, (_, k) => words[(i + k) % words.length]).join(' ');
      captures.push({
        id,
        createdAt: 1_700_000_000_000 + i * 1000,
        updatedAt: 1_700_000_000_000 + i * 1000,
        title: text.slice(0, 40),
        text,
        segments: [{ start: 0, end: samples / 16_000, text }],
        language: 'english',
        modelId: 'Xenova/whisper-tiny',
        source: 'mic',
        audioId: `a${id}`,
        durationMs: (samples / 16) | 0,
        status: 'ready',
        error: null,
        tags: ['bench'],
        private: i % 10 === 0
      } as CaptureRecord);
      audio.push({
        id: `a${id}`,
        captureId: id,
        mimeType: 'audio/wav',
        sampleRate: 16_000,
        data: data.buffer
      } as AudioRecord);
    }
    await db.transaction('rw', db.captures, db.audio, async () => {
      await db.captures.bulkAdd(captures);
      await db.audio.bulkAdd(audio);
    });
  }
}

async function reference(path: string): Promise<number> {
  const started = performance.now();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  hash.digest();
  return statSync(path).size / MB / ((performance.now() - started) / 1000);
}

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
const r1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  console.log(
    `archive bench: ${CAPTURES} captures, ${mb(AUDIO_BYTES)} MB of audio (fake-indexeddb, Node ${process.version})`
  );
  const source = new LvaDatabase('bench-source', { indexedDB: new IDBFactory(), IDBKeyRange });
  await seed(source);
  const exported = await measure(() =>
    exportArchive(source, fileSink(file), { appVersion: 'bench', schemaVersion: 2 })
  );
  const archiveBytes = statSync(file).size;
  console.log(`export: ${r1(exported.seconds)} s, ${mb(archiveBytes)} MB archive`);
  source.close();
  await source.delete();
  global.gc?.();

  const target = new LvaDatabase('bench-target', { indexedDB: new IDBFactory(), IDBKeyRange });
  const imported = await measure(async () => {
    const staged = await readArchive(blobSource(await openAsBlob(file)));
    const plan = await planImport(target, staged);
    return commitImport(target, plan);
  });
  if (imported.result.captures.new !== CAPTURES || (await target.audio.count()) !== CAPTURES)
    throw new Error('the import did not bring back every capture');
  console.log(`import: ${r1(imported.seconds)} s`);
  const again = await measure(async () =>
    planImport(target, await readArchive(blobSource(await openAsBlob(file))))
  );
  const refMBps = await reference(file);
  rmSync(file, { force: true });

  const figures = {
    captures: CAPTURES,
    audioMB: mb(AUDIO_BYTES),
    archiveMB: mb(archiveBytes),
    exportSeconds: r1(exported.seconds),
    exportCapturesPerSecond: Math.round(CAPTURES / exported.seconds),
    exportMBps: r1(archiveBytes / MB / exported.seconds),
    exportPeakRssMB: mb(exported.peakRss),
    exportOverheadRssMB: mb(exported.peakRss - Math.max(exported.startRss, exported.endRss)),
    exportPeakHeapMB: mb(exported.peakHeap),
    importSeconds: r1(imported.seconds),
    importCapturesPerSecond: Math.round(CAPTURES / imported.seconds),
    importMBps: r1(archiveBytes / MB / imported.seconds),
    importPeakRssMB: mb(imported.peakRss),
    importLibraryRssMB: mb(imported.endRss - imported.startRss),
    importOverheadRssMB: mb(imported.peakRss - Math.max(imported.startRss, imported.endRss)),
    importPeakHeapMB: mb(imported.peakHeap),
    reimportDryRunSeconds: r1(again.seconds),
    referenceNativeSha256MBps: r1(refMBps),
    exportVsReference: Math.round((archiveBytes / MB / exported.seconds / refMBps) * 1000) / 1000,
    importVsReference: Math.round((archiveBytes / MB / imported.seconds / refMBps) * 1000) / 1000
  };
  console.log(JSON.stringify(figures));
}

await main();
