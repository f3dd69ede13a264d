import { z } from 'zod';
import { BUILTIN_COMMANDS } from '../../definitions/claude-facts.ts';
import { defineRule } from '../types.ts';

/** Custom commands and skills named like a built-in slash command. */
export default defineRule({
  meta: {
    id: 'builtin-command',
    description: 'Commands and skills must not take the name of a built-in command',
    severity: 'warning',
    docs: `A custom \`/status\`, \`/review\` or \`/resume\` collides with Claude Code's built-in command of that name: one
of them hides the other, depending on the version (CLAUDE-CODE.md, Commands). Rename it or put it in a folder
(\`.claude/commands/ci/review.md\` is \`/ci:review\`). Plugin commands are namespaced and never collide. A skill
is named by its folder, so \`skills/review-helper/SKILL.md\` with \`name: review\` is \`/review-helper\` and
does not collide (seen on 2.1.329).

What the client does (oracle: test/e2e/lint-oracle.test.ts, \`BUILTIN_COMMANDS\` in src/definitions/claude-facts.ts):
a project's \`/status\` and \`/review\` run their own body when typed in \`claude -p\` (2.1.329 and 2.1.197), and 2.1.329
lists them to the model with their own description; 2.1.197 lists the built-in \`review\` in place of the custom one,
so the model reads another description. Severity \`warning\`: the file loads and runs when typed; which of the two
the model or the interactive menu offers depends on the version.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ci/review.md': '---\ndescription: "CI review"\n---\nBody\n' } },
      { files: { '.claude/skills/review-helper/SKILL.md': '---\nname: review\ndescription: "Helps review"\n---\nBody\n' }, note: 'a skill is named by its folder' },
    ],
    invalid: [
      {
        files: { '.claude/commands/status.md': '---\ndescription: "Status"\n---\nBody\n' },
        expected: ['.claude/commands/status.md:1:1: warning Command `/status` has the name of a built-in command, expected another name such as `/project-status` or a folder (`/ns:status`) [builtin-command]'],
      },
    ],
  },
  checkFile(file, ctx) {
    if ((file.kind !== 'command' && file.kind !== 'skill') || file.plugin) return;
    if (!(BUILTIN_COMMANDS as readonly string[]).includes(file.name)) return;
    const label = file.kind === 'skill' ? 'Skill' : 'Command';
    ctx.report(file, { line: 1, col: 1, message: `${label} \`/${file.name}\` has the name of a built-in command, expected another name such as \`/project-${file.name}\` or a folder (\`/ns:${file.name}\`)` });
  },
});
