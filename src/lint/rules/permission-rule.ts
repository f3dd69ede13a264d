import { z } from 'zod';
import { toolEntries } from '../tool-lists.ts';
import { defineRule } from '../types.ts';

/** An MCP wildcard rule, `mcp__server__*` (every tool of one MCP server; docs: permissions). */
const MCP_WILDCARD = /^mcp__[\w-]+__\*$/;

/** Permission rules that do not parse: unbalanced parentheses, empty specifiers (read as the bare tool), `:*` in the middle. */
export default defineRule({
  meta: {
    id: 'permission-rule',
    description: 'Permission rules must be `Tool` or `Tool(specifier)`',
    severity: 'error',
    docs: `\`allowed-tools\` entries are permission rules: a tool name, optionally with a specifier in parentheses —
\`Bash(git status:*)\`, \`Bash(npm run *)\`, \`Read(src/**)\` (docs: permissions). A rule with a missing \`)\` or \`:*\`
anywhere but at the end matches nothing, so the calls it was meant to pre-approve are denied in non-interactive runs
(oracle: test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197: under \`Bash(node .claude/scripts/say.mjs:*\` the call
\`node .claude/scripts/say.mjs unclosed\` is denied in \`claude -p\`). An empty specifier does the opposite of what
the docs' grammar suggests: Claude Code reads \`Bash()\` as \`Bash\` and pre-approves **every** Bash call (same
oracle, \`EMPTY_SPECIFIER_MEANS_ALL\` in src/definitions/claude-facts.ts). Commas split rules only outside
parentheses. \`mcp__server__*\` (every tool of one MCP server) is a valid rule. Severity \`error\`: the client does
something other than the rule says (pre-approves nothing, or everything).`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nallowed-tools: Bash(git add:*), Bash(npm run *), Read(src/**), mcp__github__*\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/bad.md': '---\ndescription: "Bad"\nallowed-tools: Read, Bash(git status\n---\nBody\n' },
        expected: ['.claude/commands/bad.md:3:22: error Permission rule `Bash(git status` in `allowed-tools` has no closing `)` [permission-rule]'],
      },
      {
        files: { '.claude/commands/bad2.md': '---\ndescription: "Bad"\nallowed-tools: [Bash(), "Bash(git:* add)"]\n---\nBody\n' },
        expected: [
          '.claude/commands/bad2.md:3:17: error Permission rule `Bash()` in `allowed-tools` has an empty specifier `()`, which Claude Code reads as `Bash` alone: it pre-approves every `Bash` call, expected `Bash(…)` with a specifier such as `Bash(git status:*)`, or `Bash` to mean every call [permission-rule]',
          '.claude/commands/bad2.md:3:26: error Permission rule `Bash(git:* add)` in `allowed-tools` has `:*` before the end, expected it only at the end [permission-rule]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const { key, entry, error } of toolEntries(file))
      if (error && !MCP_WILDCARD.test(entry.text)) ctx.report(file, { line: entry.line, col: entry.col, message: `Permission rule \`${entry.text}\` in \`${key}\` ${error}` });
  },
});
