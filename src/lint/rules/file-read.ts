import { z } from 'zod';
import { defineRule } from '../types.ts';

/** Candidate files the linter could not read as text: over the size cap, binary, invalid UTF-8, links out of the root or in a loop. */
export default defineRule({
  meta: {
    id: 'file-read',
    description: 'Files Claude Code loads must be readable UTF-8 text of a sane size inside the linted folder',
    severity: 'warning',
    docs: `A command, agent or skill file that is binary, not valid UTF-8, over 1 MB, or a symbolic link that leaves
the linted folder (or loops) is not linted: it gets this one finding instead. A binary or mis-encoded file
reaches the model as garbage; a link out of the tree lints (and ships) someone else's file; a huge file
costs every session its context. Each file is read once; links are never followed out of the linted root and
symlinked folders are not walked (no loops).

Severity \`warning\`: what the client does with such a file is not what its author meant, but nothing here
is proven broken by the oracle.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/bin.md': '\u0000\u0001PNG' },
        expected: ['.claude/commands/bin.md:1:1: warning File is binary (it holds NUL bytes), expected UTF-8 text [file-read]'],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind === 'unreadable' && file.problem) ctx.report(file, { line: 1, col: 1, message: file.problem });
  },
});
