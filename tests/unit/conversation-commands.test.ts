import { describe, expect, it } from 'vitest';
import {
  commandText,
  commandTurnKind,
  contextSourceFor,
  parseCommand,
  type Command
} from '$lib/agent/commands';
import { buildTurnRequest } from '$lib/agent/prompts/build-request';
import { DEFAULT_STRATEGY } from '$lib/agent/prompts/strategy';

describe('parseCommand', () => {
  it.each([
    'quiz me on this week',
    'Quiz me on this week.',
    'Okay, quiz me on this week!',
    ' QUIZ ME ON THE PAST WEEK ',
    'Test me on what I learned this week.',
    "Quiz me on this week's notes."
  ])('reads a quiz on the last 7 days from %j', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'quiz', days: 7 });
  });

  it.each([
    ['Summarise what I learned about photosynthesis.', 'photosynthesis'],
    ['summarize what i learned about Photosynthesis', 'photosynthesis'],
    ["Please summarise what I've learned about the French Revolution?", 'french revolution'],
    ['Sum up what I learnt about hash maps', 'hash maps'],
    ['Summarise what I have learned on “supply and demand”.', 'supply and demand']
  ])('reads a summary request from %j', (text, topic) => {
    expect(parseCommand(text)).toEqual({ kind: 'summarise', topic });
  });

  it.each([
    ['What did I say about chlorophyll?', 'chlorophyll'],
    ['what did i say about rome', 'rome'],
    ['Um, what did I talk about… entropy...', 'entropy'],
    ['What have I said about my exam?', 'exam']
  ])('reads a local recall from %j', (text, topic) => {
    expect(parseCommand(text)).toEqual({ kind: 'recall', topic });
  });

  it.each([
    'Quiz me on it.',
    'Quiz me on photosynthesis.',
    'Can you summarise this?',
    'What did I say?',
    'What did I say about',
    'I learned about photosynthesis today.',
    'I wonder what I said about entropy last week',
    ''
  ])('leaves an ordinary turn alone: %j', (text) => {
    expect(parseCommand(text)).toBeNull();
  });

  it('parses the words its buttons send back to the same command', () => {
    const commands: Command[] = [
      { kind: 'quiz', days: 7 },
      { kind: 'summarise', topic: 'black holes' },
      { kind: 'recall', topic: 'zebracorn' }
    ];
    for (const command of commands) expect(parseCommand(commandText(command))).toEqual(command);
  });
});

describe('command routing', () => {
  it('takes a quiz’s notes from the last 7 days and a summary’s from its topic', () => {
    expect(contextSourceFor('Quiz me on this week.')).toEqual({ kind: 'recent', days: 7 });
    expect(contextSourceFor('Summarize what I learned about black holes!')).toEqual({
      kind: 'search',
      query: 'black holes'
    });
    expect(contextSourceFor('Black holes evaporate slowly.')).toEqual({
      kind: 'search',
      query: 'Black holes evaporate slowly.'
    });
  });

  it('asks for the quiz-me and summary prompting, whatever the words would classify as', () => {
    expect(commandTurnKind('Quiz me on this week')).toBe('quiz-me');
    // "Sum up what I learnt" is no summary request to the turn classifier; the command says it is.
    const text = 'Sum up what I learnt about entropy';
    expect(commandTurnKind(text)).toBe('summary-request');
    const input = { text, history: [], context: [], strategy: DEFAULT_STRATEGY };
    expect(buildTurnRequest(input).kind).toBe('new-idea');
    expect(buildTurnRequest({ ...input, kind: commandTurnKind(text) }).kind).toBe(
      'summary-request'
    );
    expect(commandTurnKind('What did I say about entropy?')).toBeUndefined();
    expect(commandTurnKind('Entropy grows.')).toBeUndefined();
  });
});
