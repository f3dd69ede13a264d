import { z } from 'zod';
import { isKnownModel, MODEL_ALIASES } from '../../definitions/claude-facts.ts';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { isComponent } from '../keys.ts';
import { listCode } from '../suggest.ts';
import { defineRule } from '../types.ts';

/** `model:` values that are neither an alias nor a full Claude model id. */
export default defineRule({
  meta: {
    id: 'unknown-model',
    description: '`model` must be a Claude model alias or a full Claude model id',
    severity: 'error',
    docs: `\`model\` accepts an alias (\`sonnet\`, \`opus\`, \`haiku\`, \`inherit\`, ...: \`MODEL_ALIASES\` in src/definitions/claude-facts.ts) or a full id such as \`claude-sonnet-4-5\` (CLAUDE-CODE.md,
Subagents; docs: model configuration). \`claude plugin validate\` accepts anything (\`model: gpt-4\` passes), and
the command or agent then fails when it runs: the client neither refuses nor maps an unknown id, it sends it to the
API as written (oracle: test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197: a spawned agent with \`model: gpt-4\` makes
its request with \`"model": "gpt-4"\`, which no Claude endpoint serves; the failure itself needs the real API and is
not seen offline). Add ids of other providers you really use to the \`allow\` option.`,
    options: z.object({ allow: z.array(z.string()).default([]) }),
  },
  examples: {
    valid: [
      { files: { '.claude/agents/ok.md': '---\nname: ok\ndescription: "Fine"\nmodel: haiku\n---\nBody\n' } },
      { files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nmodel: claude-opus-4-1-20250805\n---\nBody\n' } },
    ],
    invalid: [
      {
        files: { '.claude/agents/gpt.md': '---\nname: gpt\ndescription: "Wrong vendor"\nmodel: gpt-4\n---\nBody\n' },
        expected: [`.claude/agents/gpt.md:4:8: error Unknown model \`gpt-4\`, expected one of ${listCode(MODEL_ALIASES, 4)} or a full \`claude-...\` id [unknown-model]`],
      },
    ],
  },
  checkFile(file, ctx) {
    const m = file.md?.data.model;
    if (!file.md || !isComponent(file) || typeof m !== 'string' || isKnownModel(m) || ctx.options.allow.includes(m)) return;
    ctx.report(file, { ...frontmatterPosition(file.md, ['model']), message: `Unknown model \`${m}\`, expected one of ${listCode(MODEL_ALIASES, 4)} or a full \`claude-...\` id` });
  },
});
