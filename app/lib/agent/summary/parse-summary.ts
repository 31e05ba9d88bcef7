/**
 * Reads Claude's answer to a summary request: strict JSON (surrounding whitespace and one code
 * fence tolerated), validated with valibot. Anything else is a {@link SummaryParseError} with a
 * message fit to show, and the caller writes nothing.
 */
import * as v from 'valibot';
import { cleanTags } from '../../db/capture-meta-repo';

/** A session's summary as written onto the conversation and its captures. */
export interface SessionSummary {
  title: string;
  summary: string;
  takeaways: string[];
  tags: string[];
}

/** The answer was not a valid summary. */
export class SummaryParseError extends Error {
  override name = 'SummaryParseError';
}

const line = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

const SummarySchema = v.object({
  title: line(120),
  summary: line(1500),
  takeaways: v.pipe(v.array(line(400)), v.minLength(3), v.maxLength(5)),
  tags: v.pipe(v.array(line(40)), v.minLength(2), v.maxLength(5))
});

/** Parses and validates an answer; throws {@link SummaryParseError}. */
export function parseSummary(answer: string): SessionSummary {
  const text = answer
    .trim()
    .replace(/^```(?:json)?\s*\n?/i, '')
    .replace(/\n?```$/, '')
    .trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SummaryParseError('The summary answer was not valid JSON.');
  }
  const result = v.safeParse(SummarySchema, json);
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') ?? 'answer';
    throw new SummaryParseError(`The summary answer is not usable (${where}: ${issue.message}).`);
  }
  const tags = cleanTags(result.output.tags.map((t) => t.replace(/^#/, '')));
  if (tags.length < 2) throw new SummaryParseError('The summary answer has fewer than 2 tags.');
  return { ...result.output, tags };
}
