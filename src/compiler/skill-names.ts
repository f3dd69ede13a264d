import { BUILTIN_COMMANDS, MAX_SKILL_NAME_CHARS, SKILL_NAME_PATTERN } from '../definitions/claude-facts.ts';

/**
 * How a command definition's name becomes a skill name (docs/e2e.md "Skills"; CLAUDE-CODE.md "Skills": project
 * skills have no folder namespaces, so `commands/execution/pause.md` — the command `/execution:pause` — must
 * become one flat folder). The mapping: every `:` (a folder) and `_` becomes `-`, doubled hyphens collapse,
 * so `execution:pause` → `execution-pause`, `orchestrate:execute` → `orchestrate-execute`, and a name
 * without folders stays as it is (`execute-parallel-plan`).
 */
export function skillName(commandName: string): string {
  return commandName.replace(/[:_]/g, '-').replace(/-{2,}/g, '-').replace(/^-|-$/g, '');
}

/**
 * Why `name` cannot be a skill name, or undefined when it can: it breaks the Agent Skills rules
 * ({@link SKILL_NAME_PATTERN}, at most {@link MAX_SKILL_NAME_CHARS} characters) or, outside a plugin (`namespaced`
 * false), equals a built-in command (CLAUDE-CODE.md "Commands": custom names shadow built-ins).
 */
export function skillNameProblem(name: string, namespaced: boolean): string | undefined {
  if (name.length > MAX_SKILL_NAME_CHARS) return `is ${name.length} characters long, expected at most ${MAX_SKILL_NAME_CHARS} (Agent Skills spec)`;
  if (!SKILL_NAME_PATTERN.test(name)) return 'breaks the Agent Skills name rules, expected lowercase letters, digits and single hyphens';
  if (!namespaced && (BUILTIN_COMMANDS as readonly string[]).includes(name)) return 'is the name of a built-in Claude Code command';
  return undefined;
}

/**
 * Rewrites the references to the pack's own commands in a rendered body (`/execution:resume` in prose or code)
 * to the names they have in this output (`invocations`: command name → invocation, e.g. `execution:resume` →
 * `/execution-resume`). A reference is `/NAME` after the start, a blank, a backtick, `(` or a quote, and not
 * followed by a name character — so paths (`notes/execute/x`) and longer names stay as they are.
 */
export function rewriteCommandRefs(text: string, invocations: ReadonlyMap<string, string>): string {
  if (invocations.size === 0) return text;
  const names = [...invocations.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(^|[\\s\`("'])/(${names.join('|')})(?![\\w:-])`, 'g');
  return text.replace(re, (_m, before: string, name: string) => `${before}${invocations.get(name)}`);
}
