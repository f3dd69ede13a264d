import path from 'node:path';
import { z } from 'zod';
import { AGENT_NAME_PATTERN, MAX_AGENT_NAME_CHARS } from '../../definitions/claude-facts.ts';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { defineRule } from '../types.ts';

/** Agent names Claude Code skips (`:`, a leading `-`, over 256 characters), and definitions named unlike their file. */
export default defineRule({
  meta: {
    id: 'agent-name',
    description: 'Agent names must be ones Claude Code loads: no `:`, no leading `-`, at most 256 characters',
    severity: 'error',
    docs: `Claude Code 2.1.329 skips a subagent file without a word when its \`name\` contains \`:\` (reserved for plugin
namespaces such as \`pk:coord\`), starts with \`-\` or is longer than 256 characters (2.1.197 skips only the
leading \`-\`). Capitals, underscores and spaces **load**, and a \`subagent_type\` matches them loosely
(\`release-manager\` spawns \`Release_Manager\`), so they are not reported.

Severity \`error\`: the oracle (test/e2e/lint-oracle.test.ts) shows the agent missing from the Agent tool's list.
In build-commands definitions the \`name\` must also be lowercase-hyphen and equal the file name (the
compiler's contract, docs/contracts.md, Definitions).`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/agents/code-reviewer.md': '---\nname: code-reviewer\ndescription: "Reviews diffs"\n---\nPrompt\n' } },
      { files: { '.claude/agents/reviewer.md': '---\nname: Code_Reviewer\ndescription: "Reviews diffs"\n---\nPrompt\n' }, note: 'the client loads capitals and underscores' },
    ],
    invalid: [
      {
        files: { '.claude/agents/lead.md': '---\nname: -lead\ndescription: "Leads"\n---\nPrompt\n' },
        expected: ['.claude/agents/lead.md:2:7: error Agent name `-lead` starts with `-`, expected e.g. `lead` (Claude Code skips the agent) [agent-name]'],
      },
      {
        files: { 'agents/Lead.md': '---\nname: Lead\ndescription: "Leads"\n---\nPrompt\n' },
        expected: ['agents/Lead.md:2:7: error Agent name `Lead` is not lowercase letters, digits and hyphens, expected e.g. `lead` (build-commands definitions) [agent-name]'],
      },
      {
        files: { '.claude/agents/coord.md': '---\nname: pk:coord\ndescription: "Coordinates"\n---\nPrompt\n' },
        expected: ['.claude/agents/coord.md:2:7: error Agent name `pk:coord` contains `:`, expected a bare name such as `coord` (Claude Code skips the agent; plugins add their namespace) [agent-name]'],
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
    const fixed = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    if (name.normalize('NFKC').includes(':')) {
      ctx.report(file, { ...pos, message: `Agent name \`${name}\` contains \`:\`, expected a bare name such as \`${name.split(':').pop()}\` (Claude Code skips the agent; plugins add their namespace)` });
    } else if (name.startsWith('-')) {
      ctx.report(file, { ...pos, message: `Agent name \`${name}\` starts with \`-\`, expected e.g. \`${fixed}\` (Claude Code skips the agent)` });
    } else if (name.length > MAX_AGENT_NAME_CHARS) {
      ctx.report(file, { ...pos, message: `Agent name is ${name.length} characters long, expected at most ${MAX_AGENT_NAME_CHARS} (Claude Code skips the agent)` });
    } else if (file.origin === 'definitions' && !AGENT_NAME_PATTERN.test(name)) {
      ctx.report(file, { ...pos, message: `Agent name \`${name}\` is not lowercase letters, digits and hyphens, expected e.g. \`${fixed}\` (build-commands definitions)` });
    } else if (file.origin === 'definitions') {
      const base = path.posix.basename(file.path, '.md');
      if (base !== name) ctx.report(file, { ...pos, message: `Agent name \`${name}\` differs from the file name, expected \`${base}\`` });
    }
  },
});
