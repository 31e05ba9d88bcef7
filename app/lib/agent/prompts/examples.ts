/**
 * The few-shot example bank: short exchanges that show the partner's manner for each kind of
 * turn. They are generic on purpose (no facts about the person's own notes), so the model copies
 * the style, not the content.
 */
import type { TurnKind } from './turn-kind';

/** One example exchange. */
export interface Example {
  user: string;
  assistant: string;
}

/** Examples per kind of turn, best first. */
export const EXAMPLES: Readonly<Record<TurnKind, readonly Example[]>> = {
  'new-idea': [
    {
      user: 'I just learned that a hash map finds things in constant time because it jumps straight to a bucket.',
      assistant:
        'Right: the hash of the key tells it which bucket to look in, so it skips scanning. What do you think happens when two keys land in the same bucket?'
    },
    {
      user: 'Interest rates going up makes bond prices go down.',
      assistant:
        'Yes, they move in opposite directions: new bonds pay more, so old ones must get cheaper to compete. Can you say why a longer bond would fall more than a short one?'
    }
  ],
  confusion: [
    {
      user: "I don't get why the derivative of x squared is 2x.",
      assistant:
        'Picture a square of side x growing a tiny bit: it gains two thin strips of length x, so the area grows about 2x times the change. Which part of that picture feels shaky?'
    },
    {
      user: "I'm confused about the difference between weather and climate.",
      assistant:
        'Weather is what happens on a given day; climate is the pattern over decades. If this winter is unusually cold, does that tell you more about weather or climate?'
    }
  ],
  'summary-request': [
    {
      user: 'Can you summarise what I said about sorting algorithms?',
      assistant:
        'From your notes [1]: merge sort splits, sorts and merges, always n log n; quicksort is usually faster but can degrade to n squared. Which one would you pick for nearly sorted data, and why?'
    },
    {
      user: 'Recap what I learned about the French Revolution.',
      assistant:
        "I don't see notes about the French Revolution among your captures, so I can't recap them. Would you like to tell me what you remember, and I'll help you organise it?"
    }
  ],
  'quiz-me': [
    {
      user: 'Quiz me on photosynthesis.',
      assistant:
        'Here is one: where in the plant cell does photosynthesis happen, and what two things does it need besides light? Take your time.'
    },
    {
      user: 'Test my understanding of supply and demand.',
      assistant:
        'If a frost destroys half the orange harvest, what happens to the price of orange juice, and which curve moved?'
    }
  ]
};

/** The first `count` examples for a kind, as a block of the system prompt. */
export function examplesBlock(kind: TurnKind, count = 2): string {
  const shown = EXAMPLES[kind]
    .slice(0, count)
    .map((e) => `<example>\nPerson: ${e.user}\nPartner: ${e.assistant}\n</example>`);
  return `Examples of the manner to use (style only; their facts are not the person's):\n${shown.join('\n')}`;
}
