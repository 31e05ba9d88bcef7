/**
 * Lower-cased word tokens: letters (with their combining marks) and digits of any script,
 * apostrophes inside words kept (a typographic ’ reads as ').
 */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/\u2019/g, "'")
      .match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:'[\p{L}\p{M}]+)*/gu) ?? []
  ).map((t) => t.replace(/'s$/, ''));
}
