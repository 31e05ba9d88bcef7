import { afterEach, describe, expect, it } from 'vitest';
import {
  appendChunk,
  discardRecording,
  finishRecording,
  fromPcm16,
  listInterrupted,
  openRecording,
  readRecording,
  toPcm16
} from '$lib/audio/recording-store';
import { keepCurrentVersion, listVersions } from '$lib/asr/transcript-history';
import { createCapture, saveTranscript } from '$lib/db/captures-repo';
import type { LvaDatabase } from '$lib/db/database';
import { joinRanges, toRecordingTime } from '$lib/asr/decode-unit';
import { SampleStore } from '$lib/audio/sample-store';
import { openTestDb } from './helpers/app-db';

let db: LvaDatabase;
afterEach(() => db?.close());

const ramp = (n: number, from = 0) =>
  Float32Array.from({ length: n }, (_, i) => ((from + i) % 200) / 200 - 0.5);

describe('PCM16 chunks', () => {
  it('round-trips samples within one quantisation step and clamps out-of-range values', () => {
    const samples = Float32Array.from([0, 0.5, -0.5, 1, -1, 1.7, -3]);
    const back = fromPcm16(toPcm16(samples));
    expect(toPcm16(samples).byteLength).toBe(14);
    [0, 0.5, -0.5, 1, -1, 1, -1].forEach((v, i) => expect(back[i]).toBeCloseTo(v, 3));
  });
});

describe('recordings written while they happen', () => {
  it('stores chunks in order, survives as "interrupted", and finishes into a capture', async () => {
    db = openTestDb('rec-1');
    const rec = await openRecording(db, 16_000, 1000);
    await appendChunk(db, rec.id, 0, ramp(1600), 1100);
    await appendChunk(db, rec.id, 1, ramp(800, 1600), 1200);
    expect(await db.recordings.get(rec.id)).toMatchObject({
      samples: 2400,
      status: 'recording',
      updatedAt: 1200
    });
    // A reload happens here: the recording is listed as interrupted, with all its audio.
    expect((await listInterrupted(db)).map((r) => r.id)).toEqual([rec.id]);
    expect(await listInterrupted(db, rec.id)).toEqual([]);
    const samples = await readRecording(db, rec.id);
    expect(samples.length).toBe(2400);
    ramp(2400).forEach((v, i) => expect(samples[i]).toBeCloseTo(v, 3));

    const capture = await createCapture(db, {
      wav: new ArrayBuffer(44),
      sampleRate: 16_000,
      durationMs: 150,
      language: 'english',
      source: 'mic'
    });
    await finishRecording(db, rec.id, capture.id);
    expect(await listInterrupted(db)).toEqual([]);
    expect(await db.recordings.get(rec.id)).toMatchObject({
      status: 'finished',
      captureId: capture.id
    });
    expect(await db.audioChunks.where('recordingId').equals(rec.id).count()).toBe(0);
  });

  it('discards a recording with its chunks', async () => {
    db = openTestDb('rec-2');
    const rec = await openRecording(db, 16_000);
    await appendChunk(db, rec.id, 0, ramp(100));
    await discardRecording(db, rec.id);
    expect(await db.recordings.count()).toBe(0);
    expect(await db.audioChunks.count()).toBe(0);
  });
});

describe('transcript history', () => {
  it('keeps the previous transcript as a version before a new one replaces it', async () => {
    db = openTestDb('rec-3');
    const capture = await createCapture(db, {
      wav: new ArrayBuffer(44),
      sampleRate: 16_000,
      durationMs: 1000,
      language: 'english',
      source: 'mic'
    });
    expect(await keepCurrentVersion(db, capture)).toBeNull();
    const first = {
      text: 'an old sparse young man',
      segments: [],
      language: 'english',
      modelId: 'Xenova/whisper-tiny'
    };
    await saveTranscript(db, capture.id, first);
    const saved = (await db.captures.get(capture.id))!;
    await keepCurrentVersion(db, saved, 5000);
    await saveTranscript(db, capture.id, {
      ...first,
      text: 'an ill disposed young man',
      modelId: 'Xenova/whisper-base'
    });
    const versions = await listVersions(db, capture.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      text: 'an old sparse young man',
      modelId: 'Xenova/whisper-tiny',
      createdAt: 5000
    });
    expect((await db.captures.get(capture.id))!.text).toBe('an ill disposed young man');
  });
});

describe('decode units', () => {
  it('joins ranges with the gaps cut out and maps joined time back to recording time', () => {
    const store = new SampleStore();
    store.push(ramp(16_000 * 3));
    const ranges = [
      [0, 16_000],
      [32_000, 40_000]
    ] as const;
    const joined = joinRanges(store, ranges);
    expect(joined.length).toBe(24_000);
    expect(joined[16_000]).toBe(store.slice(32_000, 32_001)[0]);
    expect(toRecordingTime(ranges, 0.5)).toBe(0.5);
    expect(toRecordingTime(ranges, 1.25)).toBe(2.25);
    expect(toRecordingTime(ranges, 9)).toBe(2.5);
  });
});
