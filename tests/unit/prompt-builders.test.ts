import { describe, expect, it } from 'vitest';
import type { ContextItem } from '$lib/agent/context';
import {
  buildCritiqueRequest,
  buildTurnRequest,
  historyMessages,
  type TurnInput
} from '$lib/agent/prompts/build-request';
import { EXAMPLES } from '$lib/agent/prompts/examples';
import { visibleReply } from '$lib/agent/prompts/hidden-reasoning';
import { PRINCIPLES } from '$lib/agent/prompts/principles';
import { ALL_STRATEGIES, DEFAULT_STRATEGY, strategyName } from '$lib/agent/prompts/strategy';
import { systemPrompt } from '$lib/agent/prompts/system-prompt';
import { classifyTurn, TURN_KINDS } from '$lib/agent/prompts/turn-kind';
import { ChatRequestSchema } from '$lib/contract/chat';
import * as v from 'valibot';
import type { CaptureId } from '$lib/db/ids';

const NOTES: ContextItem[] = [
  {
    n: 1,
    captureId: 'c-photo' as CaptureId,
    title: 'How plants make sugar',
    date: '2026-01-03',
    text: 'Photosynthesis turns light energy into chemical energy.',
    truncated: false
  }
];

const input = (over: Partial<TurnInput> = {}): TurnInput => ({
  text: 'Photosynthesis stores light as sugar, I think.',
  history: [
    { role: 'user', text: 'Today I read about plants.' },
    { role: 'assistant', text: 'What stood out to you?' }
  ],
  context: NOTES,
  strategy: DEFAULT_STRATEGY,
  ...over
});

describe('classifyTurn', () => {
  it.each([
    ['Quiz me on the Krebs cycle', 'quiz-me'],
    ['Can you test my understanding of entropy?', 'quiz-me'],
    ['Summarise what I learned about Rome', 'summary-request'],
    ['What did I say about mitochondria last week?', 'summary-request'],
    ['I don’t get why the sky is blue', 'confusion'],
    ["I'm confused about eigenvectors", 'confusion'],
    ['Why does ice float?', 'confusion'],
    ['Mitochondria make ATP from glucose and oxygen.', 'new-idea'],
    ['', 'new-idea']
  ] as const)('%s → %s', (text, kind) => {
    expect(classifyTurn(text)).toBe(kind);
  });

  it('prefers an explicit request over confusion', () => {
    expect(classifyTurn("I don't get it, quiz me on it")).toBe('quiz-me');
  });
});

describe('system prompt', () => {
  it('states every principle and the hint of the kind of turn', () => {
    for (const kind of TURN_KINDS) {
      const prompt = systemPrompt(kind, DEFAULT_STRATEGY);
      for (const p of PRINCIPLES) expect(prompt).toContain(p);
      expect(prompt).toContain(EXAMPLES[kind][0]!.assistant);
      for (const other of TURN_KINDS.filter((k) => k !== kind))
        expect(prompt).not.toContain(EXAMPLES[other][0]!.assistant);
    }
  });

  it('adds the reasoning instruction only when reasoning is on, examples only with few-shot', () => {
    const base = systemPrompt('new-idea', {
      fewShot: false,
      reasoning: false,
      selfCritique: false
    });
    expect(base).not.toContain('<thinking>');
    expect(base).not.toContain('<example>');
    const all = systemPrompt('new-idea', { fewShot: true, reasoning: true, selfCritique: true });
    expect(all).toContain('<thinking>');
    expect(all).toContain('<example>');
  });
});

describe('strategies', () => {
  it('have distinct names', () => {
    const names = ALL_STRATEGIES.map(strategyName);
    expect(new Set(names).size).toBe(8);
    expect(strategyName({ fewShot: false, reasoning: false, selfCritique: false })).toBe('base');
  });

  for (const strategy of ALL_STRATEGIES) {
    it(`request snapshot: ${strategyName(strategy)}`, () => {
      const built = buildTurnRequest(input({ strategy }));
      // Every request the app builds is one the worker accepts.
      expect(v.safeParse(ChatRequestSchema, built.request).success).toBe(true);
      const requests = [built.request];
      if (strategy.selfCritique)
        requests.push(buildCritiqueRequest(input({ strategy }), 'Nice. What is sugar for?'));
      expect({ kind: built.kind, requests }).toMatchSnapshot();
    });
  }
});

describe('buildTurnRequest', () => {
  it('sends the notes as a separate system block and the words as the last user message', () => {
    const { request } = buildTurnRequest(input());
    const system = request.system as { text: string }[];
    expect(system).toHaveLength(2);
    expect(system[1]!.text).toContain('[1] How plants make sugar (2026-01-03)');
    expect(request.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Photosynthesis stores light as sugar, I think.'
    });
    expect(request.messages).toHaveLength(3);
  });

  it('has no notes block without notes', () => {
    const { request } = buildTurnRequest(input({ context: [] }));
    expect(request.system).toHaveLength(1);
  });

  it('joins an unanswered earlier question with the new one', () => {
    const { request } = buildTurnRequest(
      input({ history: [{ role: 'user', text: 'First question?' }] })
    );
    expect(request.messages).toEqual([
      { role: 'user', content: 'First question?\n\nPhotosynthesis stores light as sugar, I think.' }
    ]);
  });

  it('gives hidden reasoning room before the reply', () => {
    const plain = buildTurnRequest(input()).request.max_tokens;
    const reasoning = buildTurnRequest(
      input({ strategy: { ...DEFAULT_STRATEGY, reasoning: true } })
    ).request.max_tokens;
    expect(reasoning).toBeGreaterThan(plain);
  });
});

describe('historyMessages', () => {
  it('alternates roles, starts with the person, keeps the newest', () => {
    const history = [
      { role: 'assistant' as const, text: 'orphan' },
      { role: 'user' as const, text: 'a' },
      { role: 'user' as const, text: 'b' },
      { role: 'assistant' as const, text: 'c' },
      { role: 'user' as const, text: ' ' },
      { role: 'user' as const, text: 'd' },
      { role: 'assistant' as const, text: 'e' }
    ];
    expect(historyMessages(history)).toEqual([
      { role: 'user', content: 'a\n\nb' },
      { role: 'assistant', content: 'c' },
      { role: 'user', content: 'd' },
      { role: 'assistant', content: 'e' }
    ]);
    expect(historyMessages(history, 2)).toEqual([
      { role: 'user', content: 'd' },
      { role: 'assistant', content: 'e' }
    ]);
  });
});

describe('visibleReply', () => {
  it('hides closed and unclosed thinking, and a half-written tag', () => {
    expect(visibleReply('<thinking>plan</thinking>\nGood point. Why?')).toBe('Good point. Why?');
    expect(visibleReply('<thinking>still planning')).toBe('');
    expect(visibleReply('Hello <thin')).toBe('Hello ');
    expect(visibleReply('Plain reply.')).toBe('Plain reply.');
    expect(visibleReply('a<thinking>x</thinking>b<thinking>y</thinking>c')).toBe('abc');
  });

  it('only grows as a stream arrives', () => {
    const full =
      '<thinking>They mix up light and dark reactions.</thinking>Close! What does the Calvin cycle need?';
    let shown = '';
    for (let i = 1; i <= full.length; i++) {
      const next = visibleReply(full.slice(0, i));
      expect(next.startsWith(shown)).toBe(true);
      shown = next;
    }
    expect(shown).toBe('Close! What does the Calvin cycle need?');
  });
});
