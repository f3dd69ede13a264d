import { z } from 'zod';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { frontmatterParsed } from '../keys.ts';
import { defineRule } from '../types.ts';

/** Agents without `name` or `description`: Claude Code skips those files silently. */
export default defineRule({
  meta: {
    id: 'agent-required',
    description: 'Agents need a `name` and a `description`',
    severity: 'error',
    docs: `A subagent file without \`name\` or \`description\` in its frontmatter is skipped silently: the agent is
not offered and every \`subagent_type\` naming it fails (CLAUDE-CODE.md, Subagents). A description that says
when to use the agent is also what the model reads to delegate.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/agents/ok.md': '---\nname: ok\ndescription: "Reviews diffs"\n---\nPrompt\n' } }],
    invalid: [
      {
        files: { '.claude/agents/nodesc.md': '---\nname: nodesc\ntools: Read\n---\nPrompt\n' },
        expected: ['.claude/agents/nodesc.md:1:1: error Agent has no `description`, expected a `description:` key (Claude Code skips the agent) [agent-required]'],
      },
      {
        files: { '.claude/agents/bare.md': 'Just a prompt.\n' },
        expected: [
          '.claude/agents/bare.md:1:1: error Agent has no `description`, expected a `description:` key (Claude Code skips the agent) [agent-required]',
          '.claude/agents/bare.md:1:1: error Agent has no `name`, expected a `name:` key (Claude Code skips the agent) [agent-required]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || file.kind !== 'agent') return;
    if (!frontmatterParsed(file)) return;
    for (const key of ['name', 'description'] as const) {
      const v = md.data[key];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === ''))
        ctx.report(file, { ...frontmatterPosition(md, v === undefined ? [] : [key], 'key'), message: `Agent has no \`${key}\`, expected a \`${key}:\` key (Claude Code skips the agent)` });
    }
  },
});
