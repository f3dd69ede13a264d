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
\`.claude-plugin/commands/\`, \`command/\` or \`src/agents/\` is never loaded, without a word.`,
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
    ],
    invalid: [
      {
        files: {
          'p/.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'p/.claude-plugin/commands/a.md': '---\ndescription: "A"\n---\nBody\n',
          'p/agent/coord.md': '---\nname: coord\ndescription: "Coordinates"\n---\nPrompt\n',
        },
        expected: [
          'p/.claude-plugin/commands/a.md:1:1: error Command file is outside the folders Claude Code scans, expected it under `p/commands/` [plugin-layout]',
          'p/agent/coord.md:1:1: error Agent file is outside the folders Claude Code scans, expected it under `p/agents/` [plugin-layout]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind !== 'unscanned' || !file.plugin) return;
    const agent = /(^|\/)agents?\//i.test(file.path.slice(file.plugin.root.length)) || typeof file.md?.data.name === 'string';
    const folder = agent ? 'agents' : 'commands';
    const root = file.plugin.root === '.' ? '' : `${file.plugin.root}/`;
    ctx.report(file, { line: 1, col: 1, message: `${agent ? 'Agent' : 'Command'} file is outside the folders Claude Code scans, expected it under \`${root}${folder}/\`` });
  },
});
