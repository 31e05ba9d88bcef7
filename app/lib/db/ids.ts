/** Branded ids: a capture id cannot be passed where an audio id is expected. */
declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

/** Id of a capture. */
export type CaptureId = Branded<string, 'CaptureId'>;
/** Id of a stored audio recording. */
export type AudioId = Branded<string, 'AudioId'>;
/** Id of an agent reply. */
export type ReplyId = Branded<string, 'ReplyId'>;
/** Id of an earlier transcript version of a capture. */
export type TranscriptVersionId = Branded<string, 'TranscriptVersionId'>;
/** Id of a recording whose audio is written chunk by chunk as it is captured. */
export type RecordingId = Branded<string, 'RecordingId'>;
/** Id of a passage (a piece of a capture, the unit of embedding). */
export type PassageId = Branded<string, 'PassageId'>;
/** Id of a conversation with the partner. */
export type ConversationId = Branded<string, 'ConversationId'>;
/** Id of one turn of a conversation. */
export type TurnId = Branded<string, 'TurnId'>;
/** Id of a queued request waiting for the network. */
export type OutboxId = Branded<string, 'OutboxId'>;

/** Every branded id type. */
export type AnyId =
  | CaptureId
  | AudioId
  | ReplyId
  | TranscriptVersionId
  | RecordingId
  | PassageId
  | ConversationId
  | TurnId
  | OutboxId;

/**
 * A new id: 10 characters of millisecond time then 16 random ones (base 32, Crockford), so ids sort
 * by creation time and never collide across devices (which import/merge relies on).
 */
export function newId<T extends AnyId>(now = Date.now()): T {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let random = '';
  for (const b of bytes) random += alphabet[b % 32];
  return (time + random) as T;
}
