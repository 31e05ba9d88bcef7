import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  buildSummaryRequest,
  SUMMARY_SYSTEM_PROMPT,
  type SummaryInput
} from '$lib/agent/summary/build-summary-request';
import { parseSummary, SummaryParseError } from '$lib/agent/summary/parse-summary';
import { ChatRequestSchema } from '$lib/contract/chat';
import { summaryReply } from '../stubs/anthropic-stub';
import type { CaptureId } from '$lib/db/ids';

const input = (over: Partial<SummaryInput> = {}): SummaryInput => ({
  turns: [
    { role: 'user', text: 'Chlorophyll absorbs red and blue light.', private: false },
    { role: 'assistant', text: 'Right. Why not green?', private: false },
    { role: 'user', text: 'My secret exam worry: zebracorn.', private: true }
  ],
  captures: [
    {
      id: 'c1' as CaptureId,
      title: 'How plants make sugar',
      text: 'Photosynthesis turns light into sugar.',
      private: false
    },
    { id: 'c2' as CaptureId, title: 'Diary', text: 'zebracorn diary', private: true }
  ],
  ...over
});

const body = (request: ReturnType<typeof buildSummaryRequest>) =>
  JSON.stringify(request.messages) + JSON.stringify(request.system);

describe('buildSummaryRequest', () => {
  it('asks for strict JSON with the session and its shareable notes', () => {
    const request = buildSummaryRequest(input());
    expect(v.safeParse(ChatRequestSchema, request).success).toBe(true);
    expect(request.system).toBe(SUMMARY_SYSTEM_PROMPT);
    const sent = body(request);
    expect(sent).toContain('Person: Chlorophyll absorbs red and blue light.');
    expect(sent).toContain('Partner: Right. Why not green?');
    expect(sent).toContain('How plants make sugar: Photosynthesis turns light into sugar.');
    expect(request.messages).toHaveLength(1);
  });

  it('never sends a private turn or a private capture', () => {
    expect(body(buildSummaryRequest(input()))).not.toContain('zebracorn');
  });

  it('shortens long notes', () => {
    const text = 'word '.repeat(400);
    const request = buildSummaryRequest(
      input({
        captures: [{ id: 'c3' as CaptureId, title: 'Long', text, private: false }],
        maxCaptureChars: 50
      })
    );
    expect(body(request)).toContain(`Long: ${text.trim().slice(0, 50)}…`);
    expect(body(request)).not.toContain(text.trim().slice(0, 60));
  });

  it('refuses a session with nothing shareable from the person', () => {
    expect(() =>
      buildSummaryRequest(input({ turns: [{ role: 'user', text: 'private only', private: true }] }))
    ).toThrow(/nothing shareable/);
  });
});

const GOOD = {
  title: 'Why leaves are green',
  summary: 'Chlorophyll absorbs red and blue light and reflects green.',
  takeaways: ['Chlorophyll absorbs red and blue.', 'Green is reflected.', 'Light drives sugar.'],
  tags: ['Biology', '#photosynthesis', 'biology']
};

describe('parseSummary', () => {
  it('reads a valid answer, cleaning the tags', () => {
    expect(parseSummary(JSON.stringify(GOOD))).toEqual({
      ...GOOD,
      tags: ['biology', 'photosynthesis']
    });
  });

  it('accepts the answer inside one json code fence', () => {
    expect(parseSummary('```json\n' + JSON.stringify(GOOD) + '\n```').title).toBe(GOOD.title);
  });

  it.each([
    ['not JSON', 'Here is your summary: great session!', /not valid JSON/],
    ['truncated JSON', JSON.stringify(GOOD).slice(0, -5), /not valid JSON/],
    ['a missing field', JSON.stringify({ ...GOOD, summary: undefined }), /summary/],
    ['too few takeaways', JSON.stringify({ ...GOOD, takeaways: ['one', 'two'] }), /takeaways/],
    ['too many tags', JSON.stringify({ ...GOOD, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }), /tags/],
    ['an empty title', JSON.stringify({ ...GOOD, title: '  ' }), /title/],
    ['tags that collapse to one', JSON.stringify({ ...GOOD, tags: ['Bio', 'bio'] }), /2 tags/],
    ['an array', JSON.stringify([GOOD]), /not usable/]
  ])('rejects %s with a clear error', (_name, answer, message) => {
    expect(() => parseSummary(answer)).toThrow(SummaryParseError);
    expect(() => parseSummary(answer)).toThrow(message);
  });
});

describe('the loopback stand-in', () => {
  it('answers a summary request with JSON the parser accepts, and nothing else with it', () => {
    const request = buildSummaryRequest(input());
    const answer = summaryReply(request);
    expect(answer).not.toBeNull();
    expect(parseSummary(answer!).title).toBe('Stub summary: Chlorophyll absorbs red and blue');
    expect(summaryReply({ system: 'You are a learning partner.', messages: [] })).toBeNull();
  });
});
