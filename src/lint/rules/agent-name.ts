import path from 'node:path';
import { z } from 'zod';
import { AGENT_NAME_PATTERN } from '../../definitions/claude-facts.ts';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { defineRule } from '../types.ts';

/** Agent names Claude Code skips (not lowercase-hyphen, or containing `:`), and definitions named unlike their file. */
export default defineRule({
  meta: {
    id: 'agent-name',
    description: 'Agent names must be lowercase letters, digits and hyphens, without `:`',
    severity: 'error',
    docs: `Claude Code loads a subagent only when its \`name\` is lowercase letters, digits and hyphens; a name with
\`:\`, capitals, spaces or underscores makes it skip the file silently (CLAUDE-CODE.md, Subagents; \`:\` is
reserved for plugin namespaces such as \`pk:coord\`). In build-commands definitions the \`name\` must also equal
the file name (docs/contracts.md, Definitions).`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/agents/code-reviewer.md': '---\nname: code-reviewer\ndescription: "Reviews diffs"\n---\nPrompt\n' } }],
    invalid: [
      {
        files: { '.claude/agents/reviewer.md': '---\nname: Code_Reviewer\ndescription: "Reviews diffs"\n---\nPrompt\n' },
        expected: ['.claude/agents/reviewer.md:2:7: error Agent name `Code_Reviewer` is not lowercase letters, digits and hyphens, expected e.g. `code-reviewer` [agent-name]'],
      },
      {
        files: { '.claude/agents/coord.md': '---\nname: pk:coord\ndescription: "Coordinates"\n---\nPrompt\n' },
        expected: ['.claude/agents/coord.md:2:7: error Agent name `pk:coord` contains `:`, expected a bare name such as `coord` (plugins add their namespace) [agent-name]'],
      },
      {
        files: { 'agents/reviewer.md': '---\nname: code-reviewer\ndescription: "Reviews diffs"\n---\nPrompt\n' },
        expected: ['agents/reviewer.md:2:7: error Agent name `code-reviewer` differs from the file name, expected `reviewer` [agent-name]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    const name = md?.data.name;
    if (!md || file.kind !== 'agent' || typeof name !== 'string' || name === '') return;
    const pos = frontmatterPosition(md, ['name']);
    if (name.includes(':')) {
      ctx.report(file, { ...pos, message: `Agent name \`${name}\` contains \`:\`, expected a bare name such as \`${name.split(':').pop()}\` (plugins add their namespace)` });
    } else if (!AGENT_NAME_PATTERN.test(name)) {
      const fixed = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      ctx.report(file, { ...pos, message: `Agent name \`${name}\` is not lowercase letters, digits and hyphens, expected e.g. \`${fixed}\`` });
    } else if (file.origin === 'definitions') {
      const base = path.posix.basename(file.path, '.md');
      if (base !== name) ctx.report(file, { ...pos, message: `Agent name \`${name}\` differs from the file name, expected \`${base}\`` });
    }
  },
});
