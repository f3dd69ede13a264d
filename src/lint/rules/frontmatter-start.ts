import { z } from 'zod';
import { defineRule } from '../types.ts';

/** Frontmatter that does not start at byte 0 (a BOM or blank lines before `---`). */
export default defineRule({
  meta: {
    id: 'frontmatter-start',
    description: 'Frontmatter must start with `---` at byte 0 (no BOM, no blank line)',
    severity: 'error',
    docs: `Claude Code reads frontmatter only when the file starts with \`---\` at byte 0 (CLAUDE-CODE.md, "Start the
file with \`---\` at byte 0"). With a byte order mark or a blank line first, the whole block is read as body
text and every key is lost. Save as UTF-8 without BOM and delete the leading blank lines.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/bom.md': '\ufeff---\ndescription: "Has a BOM"\n---\nBody\n' },
        expected: ['.claude/commands/bom.md:1:1: error File starts with a byte order mark before `---`, expected `---` at byte 0 [frontmatter-start]'],
      },
      {
        files: { '.claude/agents/blank.md': '\n---\nname: blank\ndescription: "Blank line first"\n---\nBody\n' },
        expected: ['.claude/agents/blank.md:1:1: error Frontmatter does not start at byte 0, expected `---` on the first line [frontmatter-start]'],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const p of file.md?.problems ?? [])
      if (p.code === 'frontmatter-start') ctx.report(file, { line: p.line, col: p.col, message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
  },
});
