/**
 * The optional hidden reasoning: the model thinks inside <thinking> tags before replying. The
 * person never sees or hears that part; {@link visibleReply} removes it, also from a reply that is
 * still streaming (an unclosed or half-written tag hides everything after it).
 */

/** The instruction added to the system prompt when reasoning is on. */
export const REASONING_INSTRUCTION = `Before replying, think step by step inside <thinking></thinking> tags: what the person said, what may be wrong or missing in it, which notes (if any) bear on it, and which single question would help them most. The person never sees the thinking. After the closing tag, write only the reply.`;

const OPEN = '<thinking>';
const CLOSE = '</thinking>';

/** The part of a (possibly partial) reply that may be shown and spoken. */
export function visibleReply(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf(OPEN, at);
    if (open === -1) {
      out += withoutTagPrefix(text.slice(at));
      break;
    }
    out += text.slice(at, open);
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close === -1) break; // still thinking
    at = close + CLOSE.length;
  }
  return out.replace(/^\s+/, '');
}

// A stream can stop in the middle of "<thinking>": hold back a trailing prefix of the tag.
function withoutTagPrefix(text: string): string {
  for (let n = Math.min(OPEN.length - 1, text.length); n > 0; n--)
    if (OPEN.startsWith(text.slice(-n))) return text.slice(0, -n);
  return text;
}
