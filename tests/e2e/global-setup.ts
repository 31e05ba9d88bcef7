/**
 * Starts the servers the browser tests talk to: a loopback Anthropic stand-in, the worker with it
 * configured, a loopback stand-in of
 * OpenAI's transcription API, the worker with both (and a pairing secret, so it relays only for paired devices), and the worker with no
 * keys at all (the README's embedded default).
 */
import { defaultReply, startAnthropicStub } from '../stubs/anthropic-stub';
import { startOpenAIStub } from '../stubs/openai-stub';
import { startWranglerDev } from '../helpers/wrangler-dev';

/** Key the stub accepts; it only ever exists in this test process and the worker's env. */
export const E2E_UPSTREAM_KEY = 'sk-ant-e2e-only-key-5f1c2a';
/** The configured worker's pairing secret: the tests pair through the real UI with it. */
export const E2E_PAIRING_SECRET = 'e2e-pairing-secret-7d41b9c3';

/** Key the transcription stand-in accepts. */
export const E2E_OPENAI_KEY = 'sk-openai-e2e-only-key-93be04';
/** What the transcription stand-in answers: unmistakably not Whisper tiny's own output. */
export const E2E_SERVER_TRANSCRIPT =
  'Server transcript: chlorophyll absorbs red and blue light to drive photosynthesis.';

export default async function globalSetup(): Promise<() => Promise<void>> {
  // A small delay per token makes the streaming visible to the test, as it is to a person.
  const stub = await startAnthropicStub({
    apiKey: E2E_UPSTREAM_KEY,
    firstTokenDelayMs: 300,
    tokenDelayMs: 60,
    // With numbered notes in the request (the conversation's memory), the reply cites the first.
    reply: (body) =>
      JSON.stringify(body.system ?? '').includes('<notes>')
        ? `Your note [1] bears on this. ${defaultReply(body)}`
        : defaultReply(body)
  });
  const openai = await startOpenAIStub({
    apiKey: E2E_OPENAI_KEY,
    transcript: E2E_SERVER_TRANSCRIPT
  });
  const [configured, bare] = await Promise.all([
    startWranglerDev({
      ANTHROPIC_API_KEY: E2E_UPSTREAM_KEY,
      ANTHROPIC_BASE_URL: stub.url,
      PAIRING_SECRET: E2E_PAIRING_SECRET,
      OPENAI_API_KEY: E2E_OPENAI_KEY,
      OPENAI_BASE_URL: openai.url
    }),
    startWranglerDev({})
  ]);
  process.env.LVA_E2E_URL = configured.url;
  process.env.LVA_E2E_BARE_URL = bare.url;
  process.env.LVA_E2E_OPENAI_STUB_URL = openai.url;
  return async () => {
    await Promise.all([configured.close(), bare.close()]);
    await Promise.all([stub.close(), openai.close()]);
  };
}
