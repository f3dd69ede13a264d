import { z } from 'zod';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { frontmatterParsed } from '../keys.ts';
import { defineRule } from '../types.ts';

/** Commands and skills without a description (agents: see `agent-required`). */
export default defineRule({
  meta: {
    id: 'description-missing',
    description: 'Commands and skills need a non-empty `description`',
    severity: 'warning',
    docs: `The model picks commands and skills through the \`Skill\` tool, which lists them as \`name: description\`
(CLAUDE-CODE.md, Commands): without a description Claude Code falls back to the first body line, which rarely
says when to use it. \`claude plugin validate --strict\` fails on it too. Agents without a description are
skipped entirely; \`agent-required\` reports those.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Deploy the staging stack"\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/none.md': '# Deploy\n\nNo frontmatter at all.\n' },
        expected: ['.claude/commands/none.md:1:1: warning Command has no `description`, expected a `description:` in the frontmatter [description-missing]'],
      },
      {
        files: { '.claude/skills/tidy/SKILL.md': '---\nname: tidy\ndescription: ""\n---\nBody\n' },
        expected: ['.claude/skills/tidy/SKILL.md:3:14: warning Skill has an empty `description`, expected a sentence saying when to use it [description-missing]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || (file.kind !== 'command' && file.kind !== 'skill')) return;
    if (!frontmatterParsed(file)) return; // frontmatter-parse reports it
    const label = file.kind === 'skill' ? 'Skill' : 'Command';
    const d = md.data.description;
    if (d === undefined) ctx.report(file, { ...frontmatterPosition(md, []), message: `${label} has no \`description\`, expected a \`description:\` in the frontmatter` });
    else if (typeof d === 'string' && d.trim() === '')
      ctx.report(file, { ...frontmatterPosition(md, ['description']), message: `${label} has an empty \`description\`, expected a sentence saying when to use it` });
  },
});
