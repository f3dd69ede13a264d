import { z } from 'zod';
import { CLIENT_TOOL_ALIASES, CLIENT_TOOL_NAMES, isKnownTool, RETIRED_TOOLS } from '../../definitions/claude-facts.ts';
import { listedRules } from '../body.ts';
import { parsePermissionRule } from '../../definitions/permissions.ts';
import { defineRule } from '../types.ts';

/** True when Claude Code gives an agent a tool for `tool` (a current name or an alias it maps). */
function resolves(tool: string): boolean {
  return (isKnownTool(tool) && !Object.hasOwn(RETIRED_TOOLS, tool)) || Object.hasOwn(CLIENT_TOOL_ALIASES, tool) || (CLIENT_TOOL_NAMES as readonly string[]).includes(tool);
}

/** An agent whose `tools` list names no tool Claude Code has: 2.1.329 refuses to spawn it. */
export default defineRule({
  meta: {
    id: 'agent-tools-empty',
    description: 'An agent\'s `tools` must name at least one tool Claude Code has',
    severity: 'error',
    docs: `When every name in an agent's \`tools\` is unknown or retired (\`tools: Frobnicate\`, \`tools: LS\`, \`tools: read, grep\` —
names are case-sensitive), the agent resolves to no tools at all. Claude Code 2.1.329 then refuses the spawn:
\`Agent 'X' would be spawned with zero tools — refusing. Its tools list resolved to nothing: unrecognized
[Frobnicate]\`; 2.1.197 runs it with no tools (oracle: test/e2e/lint-oracle.test.ts). The listing still shows the
tools as written. Lists with an MCP tool (\`mcp__server__tool\`, which depends on the user's servers) or a \`*\` are
not judged. Each unknown name is also \`unknown-tool\`'s or \`retired-tool\`'s. Severity \`error\`: the agent cannot
run.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/agents/ok.md': '---\nname: ok\ndescription: "Reads"\ntools: Read, Frobnicate\n---\nPrompt\n' }, note: 'one known tool is enough (the unknown one is unknown-tool\'s)' }],
    invalid: [
      {
        files: { '.claude/agents/none.md': '---\nname: none\ndescription: "Nothing"\ntools: read, LS\n---\nPrompt\n' },
        expected: ['.claude/agents/none.md:4:8: error No tool in `tools` is one Claude Code has (`read`, `LS`), so Claude Code 2.1.329 refuses to spawn the agent, expected at least one tool such as `Read` [agent-tools-empty]'],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind !== 'agent') return;
    const entries = listedRules(file, 'tools');
    if (!entries || entries.length === 0) return;
    const tools = entries.map((e) => parsePermissionRule(e.text).rule?.tool ?? e.text);
    if (tools.some((t) => t.startsWith('mcp__') || t.includes('*') || resolves(t))) return;
    ctx.report(file, {
      line: entries[0]!.line,
      col: entries[0]!.col,
      message: `No tool in \`tools\` is one Claude Code has (${tools.map((t) => `\`${t}\``).join(', ')}), so Claude Code 2.1.329 refuses to spawn the agent, expected at least one tool such as \`Read\``,
      hint: 'Names are case-sensitive (`Read`, not `read`); retired names such as `LS` resolve to nothing.',
    });
  },
});
