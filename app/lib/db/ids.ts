/** Branded ids: a capture id cannot be passed where an audio id is expected. */
declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

/** Id of a capture. */
export type CaptureId = Branded<string, 'CaptureId'>;
/** Id of a stored audio recording. */
export type AudioId = Branded<string, 'AudioId'>;
/** Id of an agent reply. */
export type ReplyId = Branded<string, 'ReplyId'>;

/**
 * A new id: 10 characters of millisecond time then 16 random ones (base 32, Crockford), so ids sort
 * by creation time and never collide across devices (which import/merge relies on).
 */
export function newId<T extends CaptureId | AudioId | ReplyId>(now = Date.now()): T {
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
