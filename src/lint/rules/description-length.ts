import { z } from 'zod';
import { MAX_DESCRIPTION_CHARS } from '../../definitions/claude-facts.ts';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { isComponent } from '../keys.ts';
import { defineRule } from '../types.ts';

/** Descriptions longer than the limit (default 1024 characters, the Agent Skills limit). */
export default defineRule({
  meta: {
    id: 'description-length',
    description: 'Descriptions must stay within the length Claude Code lists',
    severity: 'warning',
    docs: `The description is what the model reads to decide whether to use a command, skill or agent, and it is
loaded into every session. The Agent Skills spec caps it at 1024 characters (docs: skills),
which other agent CLIs reading \`SKILL.md\` follow; Claude Code itself lists a 1,309-character skill description in
full (test/e2e/probe-skills.test.ts, 2.1.329 and 2.1.197). Long ones also cost context on every turn. Keep it to one or two sentences: what it does and when to use it.
Option \`max\` (characters, default ${MAX_DESCRIPTION_CHARS}).

Commands and skills only: the agent loader has no such cap (the oracle, test/e2e/lint-oracle.test.ts, lists a
1,500-character agent description whole). Severity \`warning\`: the file works; the cost is context.`,
    options: z.object({ max: z.number().int().positive().default(MAX_DESCRIPTION_CHARS) }),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Deploy the staging stack"\n---\nBody\n' } },
      { files: { '.claude/agents/long.md': '---\nname: long\ndescription: "This agent reviews code carefully"\n---\nBody\n' }, options: { max: 20 }, note: 'agents have no cap' },
    ],
    invalid: [
      {
        files: { '.claude/skills/long/SKILL.md': '---\nname: long\ndescription: "This skill reviews code carefully"\n---\nBody\n' },
        options: { max: 20 },
        expected: ['.claude/skills/long/SKILL.md:3:14: warning Description is 33 characters long, expected at most 20 [description-length]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const d = file.md?.data.description;
    if (!file.md || !isComponent(file) || file.kind === 'agent' || typeof d !== 'string' || d.length <= ctx.options.max) return;
    ctx.report(file, { ...frontmatterPosition(file.md, ['description']), message: `Description is ${d.length} characters long, expected at most ${ctx.options.max}` });
  },
});
