import { z } from 'zod';
import { defineRule } from '../types.ts';

/** Frontmatter that does not start at byte 0 (a BOM or blank lines before `---`). */
export default defineRule({
  meta: {
    id: 'frontmatter-start',
    description: 'Frontmatter must start with `---` at byte 0 (no BOM, no blank line)',
    severity: 'error',
    docs: `Claude Code reads frontmatter only when the file starts with \`---\`. With a blank line first, the whole
block is read as body text and every key is lost: a command is listed with \`---\` as its description, an agent
is not loaded (oracle: test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197). A byte order mark does the same in
2.1.197; 2.1.329 strips it first. Save as UTF-8 without BOM and delete the leading blank lines.

Severity \`error\`: the oracle shows the metadata lost (for a BOM, on 2.1.197).`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/bom.md': '\ufeff---\ndescription: "Has a BOM"\n---\nBody\n' },
        expected: ['.claude/commands/bom.md:1:1: error File starts with a byte order mark before `---`, expected `---` at byte 0: Claude Code 2.1.197 reads no metadata (2.1.329 strips the mark) [frontmatter-start]'],
      },
      {
        files: { '.claude/agents/blank.md': '\n---\nname: blank\ndescription: "Blank line first"\n---\nBody\n' },
        expected: ['.claude/agents/blank.md:1:1: error Frontmatter does not start at byte 0, expected `---` on the first line: Claude Code reads the block as body text and no metadata [frontmatter-start]'],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const p of file.md?.problems ?? []) {
      if (p.code !== 'frontmatter-start') continue;
      const bom = /byte order mark/.test(p.message);
      const effect = file.client ? (bom ? ': Claude Code 2.1.197 reads no metadata (2.1.329 strips the mark)' : ': Claude Code reads the block as body text and no metadata') : '';
      ctx.report(file, { line: p.line, col: p.col, message: `${p.message}${effect}`, ...(p.hint ? { hint: p.hint } : {}) });
    }
  },
});
