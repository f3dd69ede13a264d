import { z } from 'zod';
import { CLIENT_TOOL_ALIASES } from '../../definitions/claude-facts.ts';
import { toolEntries } from '../tool-lists.ts';
import { defineRule } from '../types.ts';
import { ownValue } from '../../util/own.ts';

/** Old tool names that still work as aliases (`Task` → `Agent`). */
export default defineRule({
  meta: {
    id: 'tool-alias',
    description: 'Use current tool names instead of their old aliases',
    severity: 'info',
    docs: `The spawning tool was renamed from \`Task\` to \`Agent\` in Claude Code v2.1.63; \`Task\` is still accepted as an
alias in \`allowed-tools\` (CLAUDE-CODE.md, Subagents), so this is a note, not a defect. Prefer the current name:
aliases may be dropped, and the model sees the tool as \`Agent\`. The 2.1.329 client also maps \`KillShell\` and
\`KillBash\` to \`TaskStop\` (\`CLIENT_TOOL_ALIASES\`). In an agent's \`tools\`, \`Task\` gives the subagent \`Agent\`
(oracle: test/e2e/lint-oracle.test.ts). Severity \`info\`: it works.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nallowed-tools: Agent, Read\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/old.md': '---\ndescription: "Old"\nallowed-tools: Read, Task\n---\nBody\n' },
        expected: ['.claude/commands/old.md:3:22: info Tool `Task` in `allowed-tools` is the old name of `Agent`, expected `Agent` (the alias still works) [tool-alias]'],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const { key, entry, tool } of toolEntries(file)) {
      const current = tool === null ? undefined : ownValue(CLIENT_TOOL_ALIASES, tool);
      if (current) ctx.report(file, { line: entry.line, col: entry.col, message: `Tool \`${tool}\` in \`${key}\` is the old name of \`${current}\`, expected \`${current}\` (the alias still works)` });
    }
  },
});
