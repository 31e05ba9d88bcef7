/**
 * The `/api/chat` request contract: the subset of the Anthropic Messages API request body the
 * worker accepts. Shared by the app (to build requests) and the worker (to validate them), so the
 * two can never drift apart. Objects are strict: unknown fields are rejected, not forwarded.
 */
import * as v from 'valibot';

/** Longest single text accepted in one block, in characters (about 25k tokens). */
export const MAX_TEXT_CHARS = 100_000;
/** Most messages accepted in one request. */
export const MAX_MESSAGES = 64;

const Text = v.pipe(v.string(), v.maxLength(MAX_TEXT_CHARS, 'Text is too long.'));

const TextBlock = v.strictObject({
  type: v.literal('text'),
  text: Text
});

const Content = v.union([
  v.pipe(Text, v.minLength(1, 'Message content is empty.')),
  v.pipe(v.array(TextBlock), v.minLength(1), v.maxLength(16))
]);

const Message = v.strictObject({
  role: v.picklist(['user', 'assistant']),
  content: Content
});

/** Schema of a Messages API request body as accepted by the worker. */
export const ChatRequestSchema = v.strictObject({
  model: v.optional(v.pipe(v.string(), v.maxLength(100))),
  max_tokens: v.pipe(v.number(), v.integer(), v.minValue(1)),
  messages: v.pipe(
    v.array(Message),
    v.minLength(1, 'At least one message is required.'),
    v.maxLength(MAX_MESSAGES, `At most ${MAX_MESSAGES} messages are accepted.`)
  ),
  system: v.optional(v.union([Text, v.pipe(v.array(TextBlock), v.maxLength(8))])),
  stream: v.optional(v.boolean()),
  temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  top_p: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  top_k: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  stop_sequences: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(8))),
  metadata: v.optional(
    v.strictObject({ user_id: v.optional(v.pipe(v.string(), v.maxLength(256))) })
  )
});

/** A validated chat request. */
export type ChatRequest = v.InferOutput<typeof ChatRequestSchema>;
/** One message of a chat request. */
export type ChatMessage = v.InferOutput<typeof Message>;
