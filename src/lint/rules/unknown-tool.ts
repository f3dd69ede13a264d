import { z } from 'zod';
import { CLIENT_TOOL_ALIASES, CLIENT_TOOL_NAMES, isKnownTool, RETIRED_TOOLS, TOOL_ALIASES, TOOL_NAMES } from '../../definitions/claude-facts.ts';
import { nearest } from '../../definitions/suggest.ts';
import { listCode } from '../suggest.ts';
import { toolEntries } from '../tool-lists.ts';
import { defineRule } from '../types.ts';

/** Tool names in `allowed-tools` / `tools` that Claude Code does not have. */
export default defineRule({
  meta: {
    id: 'unknown-tool',
    description: 'Tool names in `allowed-tools` and `tools` must be Claude Code tools',
    severity: 'warning',
    docs: `An unknown name in \`allowed-tools\` pre-approves nothing, and in an agent's \`tools\` it grants nothing:
\`allowed-tools: all\` or \`tools: Frobnicate\` load without a word and every call still needs approval (denied in
non-interactive runs). \`claude plugin validate\` does not check tool names (CLAUDE-CODE.md, Plugins). Names
are case-sensitive: \`Bash\`, not \`bash\`. MCP tools (\`mcp__server__tool\`) are accepted; \`Task\` is accepted as
the old name of \`Agent\` (see \`tool-alias\`); retired names such as \`LS\` are \`retired-tool\`'s; names in the 2.1.329 client's tool table that \`-p\` does
not offer (\`ListMcpResourcesTool\`, \`LSP\`, \`PowerShell\`: \`CLIENT_TOOL_NAMES\`) are accepted. The oracle
(test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197) shows the effect: \`tools: Read, bash, Frobnicate, grep\` gives the
subagent \`Read\` only (names are case-sensitive), and \`tools: Frobnicate\` alone resolves to no tools (2.1.329 then refuses
the spawn: \`agent-tools-empty\`, an error). Severity \`warning\`: the file loads and runs, but the entry resolves to
nothing (like \`retired-tool\`). Known names:
\`TOOL_NAMES\` in src/definitions/claude-facts.ts.`,
    options: z.object({ allow: z.array(z.string()).default([]) }),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nallowed-tools: Read, Bash(git status:*), mcp__github__get_issue\n---\nBody\n' } },
      { files: { '.claude/agents/ok.md': '---\nname: ok\ndescription: "Fine"\ntools: [Read, Grep, Agent]\n---\nBody\n' } },
    ],
    invalid: [
      {
        files: { '.claude/commands/all.md': '---\ndescription: "All"\nallowed-tools: all\n---\nBody\n' },
        expected: ['.claude/commands/all.md:3:16: warning Unknown tool `all` in `allowed-tools`, expected a Claude Code tool such as `Read`, `Bash`, `Agent`, ... [unknown-tool]'],
      },
      {
        files: { '.claude/agents/typo.md': '---\nname: typo\ndescription: "Typo"\ntools: Read, bash, Frobnicate\n---\nBody\n' },
        expected: [
          '.claude/agents/typo.md:4:14: warning Unknown tool `bash` in `tools`, expected `Bash` [unknown-tool]',
          '.claude/agents/typo.md:4:20: warning Unknown tool `Frobnicate` in `tools`, expected a Claude Code tool such as `Read`, `Bash`, `Agent`, ... [unknown-tool]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const { key, entry, tool } of toolEntries(file)) {
      if (tool === null || isKnownTool(tool) || Object.hasOwn(CLIENT_TOOL_ALIASES, tool) || (CLIENT_TOOL_NAMES as readonly string[]).includes(tool) || ctx.options.allow.includes(tool)) continue;
      const guess = nearest(tool, [...TOOL_NAMES, ...Object.keys(TOOL_ALIASES)].filter((t) => !Object.hasOwn(RETIRED_TOOLS, t)));
      const message = guess
        ? `Unknown tool \`${tool}\` in \`${key}\`, expected \`${guess}\``
        : `Unknown tool \`${tool}\` in \`${key}\`, expected a Claude Code tool such as \`Read\`, \`Bash\`, \`Agent\`, ...`;
      ctx.report(file, { line: entry.line, col: entry.col, message, hint: `Claude Code tools: ${listCode(TOOL_NAMES.filter((t) => !Object.hasOwn(RETIRED_TOOLS, t)))}; MCP tools as \`mcp__server__tool\`.` });
    }
  },
});
