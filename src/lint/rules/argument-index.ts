import { z } from 'zod';
import { bodyPosition } from '../../definitions/frontmatter.ts';
import { argumentRefs } from '../arguments.ts';
import { defineRule } from '../types.ts';

/** `$1` or higher in a command body that never uses `$0`: written for the old 1-based arguments. */
export default defineRule({
  meta: {
    id: 'argument-index',
    description: '`$1` is the second argument: a body using `$1`+ without `$0` is probably off by one',
    severity: 'error',
    docs: `Since Claude Code v2.1.19 \`$0\` is the **first** argument and \`$1\` the second (seen on 2.1.197:
\`/argt first "second arg"\` gave \`$0=first\`, \`$1=second arg\`; CLAUDE-CODE.md, Commands). Commands written for
the old docs use \`$1\` for the first argument and now silently read the wrong one. When a body uses \`$1\` or
higher and never \`$0\`, this rule reports the first use of each index. Claude Code substitutes these in the
whole body, code blocks included (\`awk '{print $1}'\` is changed too). Use \`$0\`, \`$1\`, ... or \`$ARGUMENTS\`.

Only references meant as arguments count: prose and shell lines. A \`$1\` that belongs to code (a shell
function's positional, a single-quoted \`awk\`/\`sed\` one-liner, a Perl or JavaScript block) or a price
(\`$125/hr\`, \`$1,000\`) is not an off-by-one; Claude Code still substitutes it, which \`argument-substitution\`
reports. Severity \`error\`: the oracle shows \`$1\` receiving the second argument and \`$2\` the third
(test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197: \`/old-args alpha beta gamma\` turns \`Deploy $1 to $2.\` into
\`Deploy beta to gamma.\`); bench/real-world.ts types each reported line with ten arguments to confirm it.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/two.md': '---\ndescription: "Two"\n---\nCompare $0 with $1.\n' } },
      {
        files: { '.claude/commands/rates.md': '---\ndescription: "Rates"\n---\nQuote $125/hr or $1,000 flat.\n\n```perl\nprint $1;\n```\n\n```bash\nfirst() {\n  local id=$1\n}\n```\n' },
        note: 'prices and code samples are argument-substitution\'s',
      },
    ],
    invalid: [
      {
        files: { '.claude/commands/old.md': '---\ndescription: "Old"\n---\nDeploy $1 to $2, then report $1.\n' },
        expected: [
          '.claude/commands/old.md:4:8: error `$1` is the second argument (arguments start at `$0` since Claude Code v2.1.19) and `$0` is never used, expected `$0` for the first argument [argument-index]',
          '.claude/commands/old.md:4:14: error `$2` is the third argument (arguments start at `$0` since Claude Code v2.1.19) and `$0` is never used, expected `$1` for the second argument [argument-index]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || (file.kind !== 'command' && file.kind !== 'skill')) return;
    const refs = argumentRefs(md).filter((r) => r.kind === 'argument');
    if (refs.some((r) => r.index === 0)) return;
    const seen = new Set<number>();
    const ordinal = (n: number) => ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'][n] ?? `#${n + 1}`;
    for (const { index: n, offset } of refs) {
      if (seen.has(n)) continue;
      seen.add(n);
      ctx.report(file, {
        ...bodyPosition(md, offset),
        message: `\`$${n}\` is the ${ordinal(n)} argument (arguments start at \`$0\` since Claude Code v2.1.19) and \`$0\` is never used, expected \`$${n - 1}\` for the ${ordinal(n - 1)} argument`,
      });
    }
  },
});
