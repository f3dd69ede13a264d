import { z } from 'zod';
import { defineRule } from '../types.ts';

/** Bodies larger than a token budget (estimated as characters ÷ 4). */
export default defineRule({
  meta: {
    id: 'token-budget',
    description: 'Bodies must fit a token budget (estimated as characters ÷ 4)',
    severity: 'warning',
    docs: `A command body is sent in full on every invocation, an agent body is the system prompt of every spawn,
a skill body is loaded each time it is used (\`claude plugin details\` shows seed 003 as a command costs ~7.1k
tokens on invoke; CLAUDE-CODE.md, Plugins). Long prompts crowd out the work. The estimate is characters ÷ 4,
rounded up. Options: \`maxTokens\` (default 4000) for every kind, overridden per kind with \`command\`, \`agent\`,
\`skill\`. For build-commands definitions the source body is measured; the rendered output is slightly longer.`,
    options: z.object({
      maxTokens: z.number().int().positive().default(4000),
      command: z.number().int().positive().optional(),
      agent: z.number().int().positive().optional(),
      skill: z.number().int().positive().optional(),
    }),
  },
  examples: {
    valid: [{ files: { '.claude/commands/short.md': '---\ndescription: "Short"\n---\nDo one thing.\n' } }],
    invalid: [
      {
        files: { '.claude/agents/long.md': `---\nname: long\ndescription: "Long"\n---\n${'word '.repeat(40)}\n` },
        options: { agent: 40 },
        expected: ['.claude/agents/long.md:5:1: warning Body is about 51 tokens (201 characters ÷ 4), expected at most 40 for an agent [token-budget]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || (file.kind !== 'command' && file.kind !== 'skill' && file.kind !== 'agent')) return;
    const max = ctx.options[file.kind] ?? ctx.options.maxTokens;
    const tokens = Math.ceil(md.body.length / 4);
    if (tokens <= max) return;
    const pos = md.lineCounter.linePos(Math.min(md.bodyStart, Math.max(0, md.text.length - 1)));
    ctx.report(file, { ...pos, message: `Body is about ${tokens} tokens (${md.body.length} characters ÷ 4), expected at most ${max} for ${file.kind === 'agent' ? 'an agent' : `a ${file.kind}`}` });
  },
});
