import { z } from 'zod';
import { defineRule } from '../types.ts';

const CODES = new Set(['frontmatter-parse', 'frontmatter-unclosed', 'frontmatter-not-a-map']);

/** Frontmatter that is not valid YAML, never closed, or not a mapping (Claude Code then reads no metadata). */
export default defineRule({
  meta: {
    id: 'frontmatter-parse',
    description: 'Frontmatter must be valid YAML, closed by `---` and a mapping',
    severity: 'error',
    docs: `When a file's frontmatter does not parse, Claude Code loads it with **no metadata at all**: its
\`allowed-tools\` are silently gone, its description is replaced by the first body line (CLAUDE-CODE.md,
"Quote string values"). The usual cause is an unquoted value containing \`: \` or starting with \`[\`, \`{\`,
\`*\`, \`&\`, \`!\`, \`|\`, \`>\`, \`@\` or a backquote. Quote such values.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Deploy: staging"\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/colon.md': '---\ndescription: Deploy: staging\n---\nBody\n' },
        expected: ['.claude/commands/colon.md:2:14: error Frontmatter is not valid YAML: Nested mappings are not allowed in compact mappings [frontmatter-parse]'],
      },
      {
        files: { '.claude/agents/open.md': '---\nname: open\ndescription: never closed\n' },
        expected: ['.claude/agents/open.md:1:1: error Frontmatter opened with `---` is never closed, expected a `---` line after it [frontmatter-parse]'],
      },
      {
        files: { '.claude/commands/list.md': '---\n- a\n- b\n---\nBody\n' },
        expected: ['.claude/commands/list.md:2:1: error Frontmatter is not a mapping, expected `key: value` lines [frontmatter-parse]'],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const p of file.md?.problems ?? [])
      if (CODES.has(p.code)) ctx.report(file, { line: p.line, col: p.col, message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
  },
});
