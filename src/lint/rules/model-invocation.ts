import { z } from 'zod';
import { findHelperCalls } from '../../compiler/coverage.ts';
import { changesState, helperArgs } from '../../compiler/helper-effects.ts';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { qualifiedName } from '../project.ts';
import type { LintFile } from '../types.ts';
import { defineRule } from '../types.ts';

/** A `{{orchestrate "VERB ..."}}` call in a definition body (single or double quotes). */
const DEFINITION_CALL = /\{\{orchestrate\s+(["'])((?:(?!\1).)*)\1/g;

/** The state-changing helper calls of a command or skill: rendered lines and, in definitions, `{{orchestrate}}` calls. */
function stateChangingCalls(file: LintFile): { args: string; line: number; col: number }[] {
  const md = file.md!;
  const out = findHelperCalls(md).map((c) => ({ args: helperArgs(c.command), line: c.line, col: c.col }));
  if (file.origin === 'definitions')
    for (const m of md.body.matchAll(DEFINITION_CALL)) out.push({ args: m[2]!, ...md.lineCounter.linePos(md.bodyStart + m.index) });
  return out.filter((c) => changesState(c.args)).sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Commands and skills the model may start on its own that change the orchestration state. */
export default defineRule({
  meta: {
    id: 'model-invocation',
    description: 'Commands and skills that change state must set `disable-model-invocation: true`',
    severity: 'warning',
    docs: `Claude Code lists every command and skill for the \`Skill\` tool, and the model may start one on its own
when its description fits. With \`disable-model-invocation: true\` it is left out of that listing and only the
user can start it by typing \`/name\` (seen on 2.1.329 and 2.1.197, docs/e2e.md "Skills"). A command that claims,
completes, pauses, stops, resumes, rolls back or otherwise changes the orchestration state (a helper verb such
as \`init\`, \`claim\`, \`pause\`, \`stop\`, \`rollback\`, or \`blockers --escalate\`) should not start because the model
guessed: set \`disable-model-invocation: true\`. Read-only ones (\`status\`, \`dashboard\`, \`report\`) may stay
model-invocable. The value must be the boolean \`true\` (\`value-type\` reports a string).`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/st.md': '---\ndescription: "Status"\nallowed-tools: Bash(node .claude/scripts/orchestrate.mjs:*)\n---\n`node .claude/scripts/orchestrate.mjs status`\n' } },
      { files: { '.claude/skills/pause/SKILL.md': '---\nname: pause\ndescription: "Pause"\ndisable-model-invocation: true\n---\n`node .claude/scripts/orchestrate.mjs pause`\n' } },
    ],
    invalid: [
      {
        files: { '.claude/skills/exec-pause/SKILL.md': '---\nname: exec-pause\ndescription: "Pause"\n---\nRun `node .claude/scripts/orchestrate.mjs status`, then\n`node .claude/scripts/orchestrate.mjs pause --reason x`.\n' },
        expected: ['.claude/skills/exec-pause/SKILL.md:6:2: warning `/exec-pause` changes state (`pause --reason x`) but the model may start it on its own, expected `disable-model-invocation: true` [model-invocation]'],
      },
      {
        files: { 'commands/ops/go.md': '---\ndescription: "Go"\ndisable-model-invocation: false\n---\n```bash\n{{orchestrate "claim --agent $0"}}\n```\n' },
        expected: ['commands/ops/go.md:3:1: warning `/ops:go` changes state (`claim --agent $0`) but `disable-model-invocation` is false, expected `true` [model-invocation]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || (file.kind !== 'command' && file.kind !== 'skill')) return;
    const flag = md.data['disable-model-invocation'];
    if (flag === true) return;
    const first = stateChangingCalls(file)[0];
    if (!first) return;
    const name = `\`/${qualifiedName(file)}\``;
    if (flag === false) ctx.report(file, { ...frontmatterPosition(md, ['disable-model-invocation'], 'key'), message: `${name} changes state (\`${first.args}\`) but \`disable-model-invocation\` is false, expected \`true\`` });
    else ctx.report(file, { line: first.line, col: first.col, message: `${name} changes state (\`${first.args}\`) but the model may start it on its own, expected \`disable-model-invocation: true\`` });
  },
});
