/**
 * Inline disable comments. In a markdown body: `<!-- build-commands-lint-disable rule-a rule-b -->` (to the end
 * of the file or a matching `-enable`), `<!-- build-commands-lint-enable rule-a -->` and
 * `<!-- build-commands-lint-disable-next-line rule-a -->`. In frontmatter, where HTML comments are not possible,
 * the same words in a YAML comment: `# build-commands-lint-disable-next-line unknown-key`. No rule ids = all rules.
 */
const DIRECTIVE = /(?:<!--|#)\s*build-commands-lint-(disable-next-line|disable-line|disable|enable)\b([^\n]*?)\s*(?:-->|$)/gm;

/** Answers whether a diagnostic of `rule` on 1-based `line` is switched off by a comment. */
export type Suppressor = (rule: string, line: number) => boolean;

/** Builds the {@link Suppressor} for one file's text. Cheap when the file has no directives. */
export function suppressorFor(text: string): Suppressor {
  if (!text.includes('build-commands-lint-')) return () => false;
  const ranges: { rules: string[] | null; from: number; to: number }[] = [];
  const open = new Map<string, number>(); // rule id or '*' → start line
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(DIRECTIVE)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    const ids = m[2]!.trim().split(/[\s,]+/).filter(Boolean);
    const rules = ids.length ? ids : null;
    if (m[1] === 'disable-next-line') ranges.push({ rules, from: line + 1, to: line + 1 });
    else if (m[1] === 'disable-line') ranges.push({ rules, from: line, to: line });
    else if (m[1] === 'disable') for (const id of rules ?? ['*']) open.set(id, line);
    else
      for (const id of rules ?? [...open.keys()]) {
        const from = open.get(id);
        if (from === undefined) continue;
        open.delete(id);
        ranges.push({ rules: id === '*' ? null : [id], from, to: line });
      }
  }
  for (const [id, from] of open) ranges.push({ rules: id === '*' ? null : [id], from, to: Infinity });
  return (rule, l) => ranges.some((r) => l >= r.from && l <= r.to && (r.rules === null || r.rules.includes(rule)));
}
