import { parseMarkdown, type ParsedMarkdown } from '../definitions/frontmatter.ts';
import { commandCovered, splitRuleList } from '../definitions/permissions.ts';

/**
 * Permission coverage of runtime-helper calls in a built command (../shared/CLAUDE-CODE.md "Commands":
 * without a matching `allowed-tools` rule a Bash call is denied in non-interactive runs). Shared by the
 * build's own tests, the pack's tests and the linter.
 */

/** One helper call found in a body: the command line and its 1-based file position. */
export interface HelperCall {
  command: string;
  line: number;
  col: number;
}

/** Matches a helper invocation: `node <anything>/scripts/orchestrate.mjs ARGS` up to a backquote or line end. */
const HELPER_CALL = /node\s+(?:\S*\/)?scripts\/orchestrate\.mjs\b[^`\n]*/g;

/** Every helper call (`node …scripts/orchestrate.mjs …`) in the body of `md`, in order, trailing blanks trimmed. */
export function findHelperCalls(md: ParsedMarkdown): HelperCall[] {
  const calls: HelperCall[] = [];
  for (const m of md.body.matchAll(HELPER_CALL)) {
    const p = md.lineCounter.linePos(md.bodyStart + m.index);
    calls.push({ command: m[0].trimEnd(), line: p.line, col: p.col });
  }
  return calls;
}

/** The `allowed-tools` rules of a command: a YAML list (definitions) or a comma string (built files). */
export function allowedToolRules(md: ParsedMarkdown): string[] {
  const v = md.data['allowed-tools'];
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter(Boolean);
  if (typeof v === 'string') return splitRuleList(v).map((r) => r.text);
  return [];
}

/**
 * The helper calls in a built command that no `allowed-tools` rule pre-approves. `file` is a parsed file, or
 * `{ file, text }` to parse. Empty means every call is covered.
 */
export function uncoveredHelperCalls(file: ParsedMarkdown | { file: string; text: string }): HelperCall[] {
  const md = 'lineCounter' in file ? file : parseMarkdown(file.file, file.text);
  const rules = allowedToolRules(md);
  return findHelperCalls(md).filter((call) => !commandCovered(rules, call.command));
}
