import { z } from 'zod';
import { defineRule } from '../types.ts';

/** One hook command of a hooks.json value, with its JSON path for messages. */
function* hookCommands(value: unknown, trail: string): Generator<{ command: string; trail: string }> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* hookCommands(v, `${trail}[${i}]`);
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.command === 'string' && !Array.isArray(o.args)) yield { command: o.command, trail };
    for (const [k, v] of Object.entries(o)) if (v && typeof v === 'object') yield* hookCommands(v, trail ? `${trail}.${k}` : k);
  }
}

/** True when `${CLAUDE_PLUGIN_ROOT}` occurs in `command` outside double or single quotes. */
function unquotedRoot(command: string): boolean {
  let q: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (q === null && c === '\\') i++;
    else if (q === null && (c === '"' || c === "'")) q = c;
    else if (c === q) q = null;
    else if (q === null && command.startsWith('${CLAUDE_PLUGIN_ROOT}', i)) return true;
  }
  return false;
}

/** A plugin's `hooks/hooks.json`: valid JSON, and `${CLAUDE_PLUGIN_ROOT}` quoted in shell commands. */
export default defineRule({
  meta: {
    id: 'plugin-hooks',
    description: 'Plugin hook commands must quote `${CLAUDE_PLUGIN_ROOT}`',
    severity: 'warning',
    docs: `A plugin's hooks (\`hooks/hooks.json\`) run shell commands with \`\${CLAUDE_PLUGIN_ROOT}\` replaced by the
plugin's folder. Unquoted, a folder with a space in its path (a user's home on macOS or Windows, a marketplace
cloned under \`My Projects/\`) splits the command into several words and the hook fails: the oracle (test/e2e/lint-oracle.test.ts,
2.1.329 and 2.1.197) installs a plugin from \`…/my plugins/market\` and sees its \`SessionStart\` and \`UserPromptSubmit\`
hooks run when quoted and not at all when unquoted, with no message in the session. \`claude plugin validate\`
warns about it (2.1.329: "Shell command uses \${CLAUDE_PLUGIN_ROOT} without quotes"). Write
\`node "\${CLAUDE_PLUGIN_ROOT}/hooks/check.mjs"\`, or the exec form \`{"command": "node", "args": [...]}\`.

Severity \`warning\`: the hook works where the path has no space. A hooks.json that is not valid JSON is an
\`error\`: no hook of the plugin runs.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      {
        files: {
          'p/.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'p/hooks/hooks.json': '{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "node \\"${CLAUDE_PLUGIN_ROOT}/hooks/check.mjs\\""}]}]}}\n',
        },
      },
    ],
    invalid: [
      {
        files: {
          'p/.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'p/hooks/hooks.json': '{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "node ${CLAUDE_PLUGIN_ROOT}/hooks/check.mjs"}]}]}}\n',
        },
        expected: [
          'p/hooks/hooks.json:1:89: warning Hook command `node ${CLAUDE_PLUGIN_ROOT}/hooks/check.mjs` (hooks.PreToolUse[0].hooks[0]) uses `${CLAUDE_PLUGIN_ROOT}` without quotes, expected `"${CLAUDE_PLUGIN_ROOT}/..."` (a path with a space splits the command) [plugin-hooks]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind !== 'plugin-hooks' || !file.json) return;
    const json = file.json;
    if (json.error) {
      ctx.report(file, { line: json.error.line, col: json.error.col, message: `Hooks file is not valid JSON: ${json.error.message} (no hook of the plugin runs)` });
      return;
    }
    for (const { command, trail } of hookCommands(json.value, '')) {
      if (!unquotedRoot(command)) continue;
      const at = json.text.indexOf(JSON.stringify(command).slice(1, -1));
      const pos = at >= 0 ? json.lineCounter.linePos(at) : { line: 1, col: 1 };
      ctx.report(file, { ...pos, message: `Hook command \`${command}\` (${trail}) uses \`\${CLAUDE_PLUGIN_ROOT}\` without quotes, expected \`"\${CLAUDE_PLUGIN_ROOT}/..."\` (a path with a space splits the command)` });
    }
  },
});
