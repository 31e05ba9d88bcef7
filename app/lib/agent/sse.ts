/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Parses a `text/event-stream` body into events, following the HTML spec's rules: any line ending,
 * multi-line data joined with '\n', comments ignored, an event dispatched on a blank line.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  // A streaming decoder keeps a multi-byte character split across chunks intact.
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (!done) buffer += decoder.decode(value, { stream: true });
      // At the end of the stream a trailing lone '\r' is a complete line ending.
      else if (buffer.endsWith('\r')) buffer += '\n';
      let match: RegExpExecArray | null;
      while ((match = /\r\n|\r|\n/.exec(buffer)) !== null) {
        // A lone '\r' at the end may be the first half of '\r\n': wait for more input.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
}
