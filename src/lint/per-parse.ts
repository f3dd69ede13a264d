import type { ParsedMarkdown } from '../definitions/frontmatter.ts';

/**
 * Wraps `compute` so that it runs once per parsed file: several rules ask the same question of one file (its
 * fenced blocks, its `allowed-tools` list, its `$N` references), and the answer is kept as long as the file's
 * parse (a WeakMap on the {@link ParsedMarkdown}, so nothing outlives a lint run). Callers must not mutate the
 * result.
 */
export function oncePerParse<T>(compute: (md: ParsedMarkdown) => T): (md: ParsedMarkdown) => T {
  const memo = new WeakMap<ParsedMarkdown, T>();
  return (md) => {
    if (memo.has(md)) return memo.get(md)!;
    const value = compute(md);
    memo.set(md, value);
    return value;
  };
}
