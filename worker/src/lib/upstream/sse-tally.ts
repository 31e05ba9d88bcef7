interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** How every text delta, most of a reply's events, begins (in LF line endings). */
const DELTA = 'event: content_block_delta\n';

/**
 * What a Messages API event stream says about itself, read from a copy of its bytes in pieces of
 * any size (split events, split characters, CRLF or LF line endings): the token usage, whether it
 * reached `message_stop`, whether the upstream sent an `error` event, and (only when asked, for
 * debug logs) the streamed text. It never touches what the client receives.
 */
export class SseTally {
  inputTokens = 0;
  outputTokens = 0;
  sawStop = false;
  sawError = false;
  text = '';
  #decoder = new TextDecoder();
  #buffered = '';

  constructor(private readonly collectText: boolean) {}

  /** Reads the next piece of the stream. */
  feed(bytes: Uint8Array): void {
    this.#buffered += this.#decoder.decode(bytes, { stream: true });
    this.#drain(false);
  }

  /** Reads what is left once the stream has ended (a last event without its blank line). */
  end(): void {
    this.#buffered += this.#decoder.decode();
    this.#drain(true);
  }

  #drain(flush: boolean): void {
    if (this.#buffered.includes('\r')) {
      // A CR ending the piece may be the first half of a CRLF: it waits for the next piece.
      const held = !flush && this.#buffered.endsWith('\r');
      this.#buffered =
        this.#buffered.slice(0, held ? -1 : undefined).replace(/\r\n?/g, '\n') + (held ? '\r' : '');
    }
    let start = 0;
    let end: number;
    while ((end = this.#buffered.indexOf('\n\n', start)) !== -1) {
      this.#block(this.#buffered.slice(start, end));
      start = end + 2;
    }
    this.#buffered = this.#buffered.slice(start);
    if (flush && this.#buffered.trim()) {
      this.#block(this.#buffered);
      this.#buffered = '';
    }
  }

  #block(block: string): void {
    // Text deltas tell nothing about usage or the end: skipped unread unless the text is wanted.
    if (!this.collectText && block.startsWith(DELTA)) return;
    const event = /^event:\s?(.*)$/m.exec(block)?.[1]?.trim();
    if (event !== 'message_start' && event !== 'message_delta' && event !== 'content_block_delta') {
      if (event === 'message_stop') this.sawStop = true;
      else if (event === 'error') this.sawError = true;
      return;
    }
    if (event === 'content_block_delta' && !this.collectText) return;
    const data = [...block.matchAll(/^data:\s?(.*)$/gm)].map((m) => m[1]).join('\n');
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return; // Not JSON: the client's parser decides what it makes of it.
    }
    if (event === 'message_start') this.#count((parsed.message as { usage?: Usage })?.usage);
    else if (event === 'message_delta') this.#count(parsed.usage as Usage);
    else this.text += (parsed.delta as { text?: string } | undefined)?.text ?? '';
  }

  #count(usage: Usage | undefined): void {
    if (!usage) return;
    const input =
      (usage.input_tokens ?? 0) +
      (usage.cache_creation_input_tokens ?? 0) +
      (usage.cache_read_input_tokens ?? 0);
    if (input) this.inputTokens = input;
    if (usage.output_tokens !== undefined) this.outputTokens = usage.output_tokens;
  }
}
