import path from 'node:path';
import { z } from 'zod';
import { defineRule } from '../types.ts';

/** Commands and agents inside a plugin but outside the folders Claude Code scans. */
export default defineRule({
  meta: {
    id: 'plugin-layout',
    description: 'Plugin commands and agents must sit in the folders Claude Code scans',
    severity: 'error',
    docs: `Claude Code loads a plugin's components from \`commands/\`, \`agents/\` and \`skills/<name>/SKILL.md\` at the
plugin root (next to \`.claude-plugin/\`, not inside it), or from the paths listed under \`commands\` / \`agents\` /
\`skills\` in plugin.json (CLAUDE-CODE.md, Plugins; docs: plugins-reference). A command in
\`.claude-plugin/commands/\`, \`command/\` or \`src/agents/\` is never loaded, without a word (oracle:
test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197: an installed plugin's \`command/misplaced.md\` is not listed, its
\`commands/placed.md\` is). Markdown under
docs, translations (\`zh-CN/commands/\`), examples, tests, templates and other tools' folders (\`.cursor/\`,
\`.opencode/\`, any dot-folder but \`.claude-plugin/\`) is not reported: those are copies, not misplaced files; a
repository's own \`.claude/\` inside a plugin root is linted as a \`.claude\` tree.

Severity \`error\`: the client does not load the file the author put in the plugin.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      {
        files: {
          'p/.claude-plugin/plugin.json': '{"name": "pk", "commands": ["./extra/run.md"]}\n',
          'p/commands/a.md': '---\ndescription: "A"\n---\nBody\n',
          'p/extra/run.md': '---\ndescription: "Run"\n---\nBody\n',
        },
      },
      {
        files: {
          '.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'zh-CN/commands/a.md': '---\ndescription: "A"\n---\nBody\n',
          '.opencode/command/a.md': '---\ndescription: "A"\n---\nBody\n',
          'docs/agents/coord.md': '---\nname: coord\ndescription: "Coordinates"\n---\nPrompt\n',
          '.claude/commands/dev.md': '---\ndescription: "The repository\'s own command"\n---\nBody\n',
        },
        note: 'translations, other tools\' copies, docs, the repository\'s own .claude/',
      },
    ],
    invalid: [
      {
        files: {
          'p/.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'p/.claude-plugin/commands/a.md': '---\ndescription: "A"\n---\nBody\n',
          'p/agent/coord.md': '---\nname: coord\ndescription: "Coordinates"\n---\nPrompt\n',
          'p/src/command/run.md': '---\nname: run\ndescription: "Runs"\n---\nBody\n',
        },
        expected: [
          'p/.claude-plugin/commands/a.md:1:1: error Command file is outside the folders Claude Code scans, expected it under `p/commands/` [plugin-layout]',
          'p/agent/coord.md:1:1: error Agent file is outside the folders Claude Code scans, expected it under `p/agents/` [plugin-layout]',
          'p/src/command/run.md:1:1: error Command file is outside the folders Claude Code scans, expected it under `p/commands/` [plugin-layout]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind !== 'unscanned' || !file.plugin) return;
    const rel = file.plugin.root === '.' ? file.path : file.path.slice(file.plugin.root.length + 1);
    // The folder says what it is; outside such a folder, an agent has `name` and `description` and no command keys.
    const data = file.md?.data ?? {};
    const agent = /(^|\/)agents?\//i.test(rel) || (!/(^|\/)commands?\//i.test(rel) && typeof data.name === 'string' && !('allowed-tools' in data) && !('argument-hint' in data));
    const folder = `${path.posix.join(file.plugin.root, agent ? 'agents' : 'commands')}/`;
    ctx.report(file, { line: 1, col: 1, message: `${agent ? 'Agent' : 'Command'} file is outside the folders Claude Code scans, expected it under \`${folder}\`` });
  },
});
