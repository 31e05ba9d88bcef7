import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeWav } from '$lib/audio/wav';
import {
  addReply,
  createCapture,
  deleteCapture,
  editTranscript,
  listCaptures,
  listReplies,
  markFailed,
  markTranscribing,
  restoreCapture,
  saveTranscript,
  titleFrom
} from '$lib/db/captures-repo';
import type { CaptureRecord, LvaDatabase } from '$lib/db/database';
import type { CaptureId } from '$lib/db/ids';
import type { Transcript } from '$lib/asr/types';
import { openTestDb } from './helpers/app-db';
import { sine } from './helpers/app-signal';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const WAV = encodeWav(sine(440, 16_000, 1600, 0.3), 16_000);

const input = (overrides: Partial<Parameters<typeof createCapture>[1]> = {}) => ({
  wav: WAV.slice(0),
  sampleRate: 16_000,
  durationMs: 100,
  language: 'english',
  source: 'mic' as const,
  ...overrides
});

const TRANSCRIPT: Transcript = {
  text: 'Photosynthesis turns light into sugar. Chlorophyll absorbs the light.',
  segments: [
    { start: 0, end: 2.5, text: 'Photosynthesis turns light into sugar.' },
    { start: 2.5, end: 4.1, text: 'Chlorophyll absorbs the light.' }
  ],
  language: 'english',
  modelId: 'Xenova/whisper-tiny'
};

const bytes = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer));

let db: LvaDatabase;

beforeEach(async () => {
  db = openTestDb();
  await db.open();
});

afterEach(() => {
  vi.restoreAllMocks();
  db.close();
});

describe('createCapture', () => {
  it('stores the capture and its audio, linked both ways', async () => {
    const capture = await createCapture(db, input({ durationMs: 4200, source: 'import' }), T0);
    expect(capture).toMatchObject({
      createdAt: T0,
      updatedAt: T0,
      title: '',
      text: '',
      segments: [],
      language: 'english',
      modelId: null,
      source: 'import',
      durationMs: 4200,
      status: 'transcribing',
      error: null
    });
    expect(await db.captures.get(capture.id)).toEqual(capture);
    const audio = await db.audio.get(capture.audioId!);
    expect(audio).toMatchObject({
      captureId: capture.id,
      mimeType: 'audio/wav',
      sampleRate: 16_000
    });
    expect(bytes(audio!.data)).toEqual(bytes(WAV));
  });

  it('gives each capture its own ids', async () => {
    const a = await createCapture(db, input(), T0);
    const b = await createCapture(db, input(), T0);
    expect(new Set([a.id, b.id, a.audioId, b.audioId]).size).toBe(4);
    expect(await db.captures.count()).toBe(2);
    expect(await db.audio.count()).toBe(2);
  });

  describe('atomicity', () => {
    // With the random part of ids fixed, the capture and its audio get the same id, so a row
    // planted under that id makes one of the two real inserts fail inside the transaction.
    const fixRandomness = () =>
      vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
        new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(7);
        return array;
      });

    it('leaves no audio behind when the capture insert fails', async () => {
      fixRandomness();
      const existing = await createCapture(db, input({ durationMs: 1 }), T0);
      // The planted capture keeps its id; its audio row is removed so only the capture collides.
      await db.audio.clear();
      await expect(createCapture(db, input({ durationMs: 2 }), T0)).rejects.toThrow();
      expect(await db.audio.count()).toBe(0);
      expect(await db.captures.toArray()).toEqual([existing]);
    });

    it('leaves no capture behind when the audio insert fails', async () => {
      fixRandomness();
      const existing = await createCapture(db, input({ durationMs: 1 }), T0);
      await db.captures.clear();
      await expect(createCapture(db, input({ durationMs: 2 }), T0)).rejects.toThrow();
      expect(await db.captures.count()).toBe(0);
      const audio = await db.audio.toArray();
      expect(audio).toHaveLength(1);
      expect(audio[0]?.captureId).toBe(existing.id);
    });
  });
});

describe('transcription state', () => {
  it('saveTranscript stores text, segments, model, title and readiness', async () => {
    const capture = await createCapture(db, input(), T0);
    await markFailed(db, capture.id, 'out of memory', T0 + 1);
    await saveTranscript(db, capture.id, TRANSCRIPT, T0 + 2);
    expect(await db.captures.get(capture.id)).toEqual({
      ...capture,
      text: TRANSCRIPT.text,
      segments: TRANSCRIPT.segments,
      modelId: 'Xenova/whisper-tiny',
      language: 'english',
      title: 'Photosynthesis turns light into sugar. Chlorophyll absorbs…',
      status: 'ready',
      error: null,
      updatedAt: T0 + 2
    });
  });

  it('markFailed keeps the audio and records why; markTranscribing clears it', async () => {
    const capture = await createCapture(db, input(), T0);
    await markFailed(db, capture.id, 'The speech model could not be loaded.', T0 + 5);
    expect(await db.captures.get(capture.id)).toMatchObject({
      status: 'failed',
      error: 'The speech model could not be loaded.',
      updatedAt: T0 + 5
    });
    expect(await db.audio.get(capture.audioId!)).toBeDefined();
    await markTranscribing(db, capture.id, T0 + 6);
    expect(await db.captures.get(capture.id)).toMatchObject({
      status: 'transcribing',
      error: null,
      updatedAt: T0 + 6
    });
  });
});

describe('editTranscript', () => {
  it('updates an automatic title along with the text', async () => {
    const capture = await createCapture(db, input(), T0);
    await saveTranscript(db, capture.id, TRANSCRIPT, T0 + 1);
    await editTranscript(
      db,
      capture.id,
      'Cellular respiration releases energy from glucose.',
      T0 + 2
    );
    expect(await db.captures.get(capture.id)).toMatchObject({
      text: 'Cellular respiration releases energy from glucose.',
      title: 'Cellular respiration releases energy from glucose.',
      updatedAt: T0 + 2
    });
  });

  it('fills in an empty title', async () => {
    const capture = await createCapture(db, input(), T0);
    await editTranscript(db, capture.id, 'Typed by hand', T0 + 1);
    expect((await db.captures.get(capture.id))?.title).toBe('Typed by hand');
  });

  it('keeps a title the person set', async () => {
    const capture = await createCapture(db, input(), T0);
    await saveTranscript(db, capture.id, TRANSCRIPT, T0 + 1);
    await db.captures.update(capture.id, { title: 'Biology revision' });
    await editTranscript(db, capture.id, 'Something else entirely.', T0 + 2);
    expect(await db.captures.get(capture.id)).toMatchObject({
      text: 'Something else entirely.',
      title: 'Biology revision'
    });
  });

  it('fails for a capture that no longer exists', async () => {
    await expect(editTranscript(db, 'missing' as CaptureId, 'text')).rejects.toThrow(
      /no longer exists/
    );
  });
});

describe('deleteCapture and restoreCapture', () => {
  it('round-trips the capture, its audio bytes and its replies exactly', async () => {
    const capture = await createCapture(db, input(), T0);
    await saveTranscript(db, capture.id, TRANSCRIPT, T0 + 1);
    const other = await createCapture(
      db,
      input({ wav: encodeWav(sine(220, 16_000, 800), 16_000) }),
      T0 + 10
    );
    const r1 = await addReply(
      db,
      { captureId: capture.id, text: 'Claude reply', source: 'claude', model: 'claude-x' },
      T0 + 2
    );
    const r2 = await addReply(
      db,
      { captureId: capture.id, text: 'Coach reply?', source: 'offline-coach', model: null },
      T0 + 3
    );
    const keep = await addReply(
      db,
      { captureId: other.id, text: 'Other', source: 'claude', model: null },
      T0 + 11
    );
    const before = {
      capture: await db.captures.get(capture.id),
      audio: await db.audio.get(capture.audioId!),
      replies: await listReplies(db, capture.id)
    };
    expect(before.replies).toEqual([r1, r2]);

    const deleted = await deleteCapture(db, capture.id);
    expect(deleted?.capture).toEqual(before.capture);
    expect(deleted?.audio).toEqual([before.audio]);
    expect(deleted?.replies.map((r) => r.id).sort()).toEqual([r1.id, r2.id].sort());
    expect(await db.captures.get(capture.id)).toBeUndefined();
    expect(await db.audio.where('captureId').equals(capture.id).count()).toBe(0);
    expect(await listReplies(db, capture.id)).toEqual([]);
    // Other captures are untouched.
    expect(await db.captures.get(other.id)).toEqual(other);
    expect(await listReplies(db, other.id)).toEqual([keep]);

    await restoreCapture(db, deleted!);
    expect(await db.captures.get(capture.id)).toEqual(before.capture);
    const audio = await db.audio.get(capture.audioId!);
    expect(audio).toEqual(before.audio);
    expect(bytes(audio!.data)).toEqual(bytes(WAV));
    expect(await listReplies(db, capture.id)).toEqual([r1, r2]);
    expect(await db.captures.count()).toBe(2);
    expect(await db.replies.count()).toBe(3);
  });

  it('survives a delete whose result went through structured clone (e.g. kept in state)', async () => {
    const capture = await createCapture(db, input(), T0);
    const deleted = structuredClone(await deleteCapture(db, capture.id));
    await restoreCapture(db, deleted!);
    expect(bytes((await db.audio.get(capture.audioId!))!.data)).toEqual(bytes(WAV));
  });

  it('returns null for an unknown capture', async () => {
    expect(await deleteCapture(db, 'missing' as CaptureId)).toBeNull();
  });
});

describe('listing', () => {
  it('lists captures newest first, whatever the insertion order', async () => {
    const middle = await createCapture(db, input(), T0 + 1000);
    const newest = await createCapture(db, input(), T0 + 2000);
    const oldest = await createCapture(db, input(), T0);
    const listed: CaptureRecord[] = await listCaptures(db);
    expect(listed.map((c) => c.id)).toEqual([newest.id, middle.id, oldest.id]);
  });

  it('lists an empty library as empty', async () => {
    expect(await listCaptures(db)).toEqual([]);
  });

  it('lists replies oldest first', async () => {
    const capture = await createCapture(db, input(), T0);
    const late = await addReply(
      db,
      { captureId: capture.id, text: 'b', source: 'claude', model: null },
      T0 + 20
    );
    const early = await addReply(
      db,
      { captureId: capture.id, text: 'a', source: 'claude', model: null },
      T0 + 10
    );
    expect(await listReplies(db, capture.id)).toEqual([early, late]);
  });
});

describe('titleFrom', () => {
  it('keeps a short text as it is, with whitespace tidied', () => {
    expect(titleFrom('  Short   note\nabout cells ')).toBe('Short note about cells');
    expect(titleFrom('')).toBe('');
  });

  it('keeps a text of exactly the limit', () => {
    const sixty = 'a'.repeat(28) + ' ' + 'b'.repeat(31);
    expect(titleFrom(sixty)).toBe(sixty);
  });

  it('cuts a long text at a word boundary and adds an ellipsis', () => {
    const text =
      'The mitochondria is the powerhouse of the cell and it makes ATP through respiration';
    const title = titleFrom(text);
    expect(title).toBe('The mitochondria is the powerhouse of the cell and it makes…');
    expect(title.length).toBeLessThanOrEqual(61);
    expect(text.startsWith(title.slice(0, -1))).toBe(true);
  });

  it('drops punctuation before the ellipsis', () => {
    // The first 40 characters end in "happen; then,": the cut falls after "happen;".
    expect(
      titleFrom('First, the light reactions happen; then, the Calvin cycle, which fixes carbon', 40)
    ).toBe('First, the light reactions happen…');
    expect(titleFrom('Alpha beta gamma, delta epsilon', 18)).toBe('Alpha beta gamma…');
  });

  it('cuts inside a word only when there is no usable space', () => {
    expect(titleFrom('x'.repeat(100), 10)).toBe('xxxxxxxxxx…');
    expect(titleFrom('ab ' + 'y'.repeat(100), 10)).toBe('ab yyyyyyy…');
  });

  it('honours a custom length', () => {
    expect(titleFrom('one two three four five', 10)).toBe('one two…');
  });
});
