import { z } from 'zod';
import { RETIRED_TOOLS } from '../../definitions/claude-facts.ts';
import { toolEntries } from '../tool-lists.ts';
import { defineRule } from '../types.ts';
import { ownValue } from '../../util/own.ts';

/** Tool names Claude Code no longer has (`LS`, `MultiEdit`, ...), with the tool to use instead. */
export default defineRule({
  meta: {
    id: 'retired-tool',
    description: 'Tool names must not be ones Claude Code retired',
    severity: 'warning',
    docs: `\`LS\`, \`MultiEdit\`, \`NotebookRead\`, \`BashOutput\`, \`SlashCommand\` and \`TaskOutput\` were Claude Code tools once;
the current client has none of them. In an agent's \`tools\` it drops them without a word: \`tools: Read, LS,
MultiEdit, Grep\` gives the subagent \`Read\` and \`Grep\` only (oracle: test/e2e/lint-oracle.test.ts, 2.1.329
and 2.1.197); in \`allowed-tools\` they pre-approve nothing. The message names the tool that does the job now
(\`RETIRED_TOOLS\` in src/definitions/claude-facts.ts): \`LS\` → \`Glob\`, \`MultiEdit\` → \`Edit\`, \`NotebookRead\`
→ \`Read\`, \`BashOutput\` → \`Read\`, \`SlashCommand\` → \`Skill\`.

Severity \`warning\`: the file loads and the other tools work; the retired name resolves to nothing.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/agents/ok.md': '---\nname: ok\ndescription: "Edits"\ntools: Read, Glob, Edit\n---\nPrompt\n' } }],
    invalid: [
      {
        files: { '.claude/agents/old.md': '---\nname: old\ndescription: "Edits"\ntools: Read, LS, MultiEdit\n---\nPrompt\n' },
        expected: [
          '.claude/agents/old.md:4:14: warning Tool `LS` in `tools` was retired from Claude Code and resolves to nothing, expected `Glob` [retired-tool]',
          '.claude/agents/old.md:4:18: warning Tool `MultiEdit` in `tools` was retired from Claude Code and resolves to nothing, expected `Edit` [retired-tool]',
        ],
      },
      {
        files: { '.claude/commands/run.md': '---\ndescription: "Runs"\nallowed-tools: SlashCommand, Read\n---\nBody\n' },
        expected: ['.claude/commands/run.md:3:16: warning Tool `SlashCommand` in `allowed-tools` was retired from Claude Code and resolves to nothing, expected `Skill` [retired-tool]'],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const { key, entry, tool } of toolEntries(file)) {
      const current = tool === null ? undefined : ownValue(RETIRED_TOOLS, tool);
      if (current) ctx.report(file, { line: entry.line, col: entry.col, message: `Tool \`${tool}\` in \`${key}\` was retired from Claude Code and resolves to nothing, expected \`${current}\`` });
    }
  },
});
