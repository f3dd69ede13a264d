import { z } from 'zod';
import { injectedCommands, listedRules, suggestRule } from '../body.ts';
import { commandCovered } from '../../definitions/permissions.ts';
import { defineRule } from '../types.ts';

/** `` !`cmd` `` and ```` ```! ```` blocks whose command no `allowed-tools` rule pre-approves. */
export default defineRule({
  meta: {
    id: 'shell-preapproval',
    description: '`` !`cmd` `` and ```` ```! ```` commands need a matching `allowed-tools` rule',
    severity: 'error',
    docs: `Claude Code runs \`\` !\`cmd\` \`\` (at a line start or after a space) and the lines of \`\`\`\`\`\`\`!\`\`\`\` blocks itself,
before the prompt is sent, and pastes their output in. They run only when pre-approved (\`allowed-tools\` or
settings); otherwise **the whole command aborts** (CLAUDE-CODE.md, Commands). Add a \`Bash(...)\` rule that
covers each one, or remove the \`!\`.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/st.md': '---\ndescription: "Status"\nallowed-tools: Bash(git status:*)\n---\nState: !`git status --short`\n' } }],
    invalid: [
      {
        files: {
          '.claude/commands/st.md': '---\ndescription: "Status"\nallowed-tools: Read\n---\nState: !`git status --short`\n\n```!\ngit log -1\n```\n',
        },
        expected: [
          '.claude/commands/st.md:5:8: error Command `git status --short` in `!`...`` runs before the prompt but is not pre-approved by `allowed-tools`, expected a rule such as `Bash(git status:*)` [shell-preapproval]',
          '.claude/commands/st.md:8:1: error Command `git log -1` in a ```! block runs before the prompt but is not pre-approved by `allowed-tools`, expected a rule such as `Bash(git log:*)` [shell-preapproval]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind !== 'command' && file.kind !== 'skill') return;
    const found = injectedCommands(file);
    if (found.length === 0) return;
    const rules = (listedRules(file, 'allowed-tools') ?? []).map((r) => r.text);
    for (const cmd of found) {
      if (commandCovered(rules, cmd.text)) continue;
      const where = cmd.fenced ? 'a ```! block' : '`!`...``';
      ctx.report(file, {
        line: cmd.line,
        col: cmd.col,
        message: `Command \`${cmd.text}\` in ${where} runs before the prompt but is not pre-approved by \`allowed-tools\`, expected a rule such as \`${suggestRule(cmd.text)}\``,
        hint: 'Claude Code aborts the whole command when such a command is not pre-approved.',
      });
    }
  },
});
