import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '$contract';
import { selectContext } from '$lib/agent/context';
import { DEFAULT_STRATEGY, type PromptStrategy } from '$lib/agent/prompts/strategy';
import { runTurn, type StreamFn } from '$lib/agent/turn-runner';
import type { CaptureId, TurnId } from '$lib/db/ids';

const context = selectContext([
  {
    id: 'c-photo' as CaptureId,
    title: 'How plants make sugar',
    text: 'Photosynthesis turns light into sugar.',
    createdAt: Date.UTC(2026, 0, 3),
    private: false
  },
  {
    id: 'c-diary' as CaptureId,
    title: 'Private',
    text: 'PRIVATE-DIARY-TEXT',
    createdAt: Date.UTC(2026, 0, 4),
    private: true
  }
]);

/** A fake stream: answers each request with the next reply, in chunks, on a fake clock. */
function fakeStream(replies: string[], clock: { t: number }) {
  const sent: ChatRequest[] = [];
  const stream: StreamFn = (request, { onText, onResponse }) => {
    sent.push(structuredClone(request));
    const reply = replies.shift() ?? '';
    clock.t += 100;
    onResponse();
    for (let i = 0; i < reply.length; i += 4) {
      clock.t += 10;
      onText(reply.slice(i, i + 4));
    }
    return Promise.resolve({ text: reply, model: 'claude-test' });
  };
  return { stream, sent };
}

async function run(strategy: PromptStrategy, replies: string[]) {
  const clock = { t: 0 };
  const { stream, sent } = fakeStream(replies, clock);
  const visible: string[] = [];
  const phases: string[] = [];
  const outcome = await runTurn(
    { text: 'Plants store light as sugar?', history: [], context, strategy },
    'turn-1' as TurnId,
    {
      stream,
      now: () => clock.t,
      onVisible: (v) => visible.push(v),
      onPhase: (p) => phases.push(p)
    }
  );
  return { outcome, sent, visible, phases };
}

describe('runTurn', () => {
  it('records exactly the request sent, the notes, citations and stage timings', async () => {
    const { outcome, sent, visible } = await run(DEFAULT_STRATEGY, [
      'Yes, as you noted [1]. What is the sugar used for?'
    ]);
    expect(outcome.sent.requests).toEqual(sent);
    expect(outcome.sent.replyTo).toBe('turn-1');
    expect(outcome.sent.context.map((c) => c.captureId)).toEqual(['c-photo']);
    expect(JSON.stringify(outcome.sent)).not.toContain('PRIVATE-DIARY-TEXT');
    expect(outcome.citations).toEqual(['c-photo']);
    expect(outcome.reply).toBe('Yes, as you noted [1]. What is the sugar used for?');
    expect(visible.at(-1)).toBe(outcome.reply);
    expect(outcome.timings).toEqual({ responseMs: 100, firstTokenMs: 110, totalMs: 230 });
  });

  it('never shows hidden reasoning, and times the first visible token', async () => {
    const { outcome, visible } = await run({ ...DEFAULT_STRATEGY, reasoning: true }, [
      '<thinking>They have it right.</thinking>Right. Why sugar?'
    ]);
    expect(outcome.reply).toBe('Right. Why sugar?');
    expect(visible.every((v) => !v.includes('thinking') && !v.includes('They have'))).toBe(true);
    // 40 characters of thinking (10 chunks) stream before the first visible one.
    expect(outcome.timings.firstTokenMs).toBeGreaterThan(outcome.timings.responseMs! + 10);
  });

  it('self-critique: a hidden draft, then a revision request that contains it', async () => {
    const { outcome, sent, visible, phases } = await run(
      { ...DEFAULT_STRATEGY, selfCritique: true },
      ['Draft: photosynthesis is complicated. Lots to say.', 'Revised [1]. Why sugar?']
    );
    expect(sent).toHaveLength(2);
    expect(outcome.sent.requests).toEqual(sent);
    expect(sent[1]!.messages[0]!.content).toContain('Draft: photosynthesis is complicated.');
    expect(visible.some((v) => v.includes('Draft'))).toBe(false);
    expect(outcome.reply).toBe('Revised [1]. Why sugar?');
    expect(outcome.citations).toEqual(['c-photo']);
    expect(phases).toEqual(['drafting', 'revising']);
    expect(outcome.timings.draftMs).toBeLessThan(outcome.timings.firstTokenMs!);
  });

  it('passes stream failures to the caller', async () => {
    const failing: StreamFn = () => Promise.reject(new Error('offline'));
    await expect(
      runTurn({ text: 'x', history: [], context: [], strategy: DEFAULT_STRATEGY }, 't' as TurnId, {
        stream: failing,
        now: () => 0
      })
    ).rejects.toThrow('offline');
  });
});
