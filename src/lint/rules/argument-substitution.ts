import { z } from 'zod';
import { bodyPosition } from '../../definitions/frontmatter.ts';
import { argumentRefs } from '../arguments.ts';
import { defineRule } from '../types.ts';

/** `$N` in code samples and prices, which Claude Code replaces with an argument. */
export default defineRule({
  meta: {
    id: 'argument-substitution',
    description: '`$1` in code samples and prices is replaced by an argument',
    severity: 'warning',
    docs: `Claude Code replaces \`$0\`, \`$1\`, ... everywhere in a command or skill body, code included: a Perl
\`print $1;\`, an \`awk '{print $1}'\`, a shell function's \`local id=$1\` or a price like \`$125/hr\` becomes an
argument. Seen on 2.1.329: with arguments \`alpha beta\`, \`$1\` turns into \`beta\` and \`$1,000\` into
\`beta,000\`; a missing one stays as written. 2.1.197 replaces a missing one with an empty string, so
\`Rate $125/hr\` reads \`Rate /hr\` even without arguments (oracle: test/e2e/lint-oracle.test.ts).

Severity \`warning\`: the text is right when no argument reaches that index (2.1.329). Move the sample into a
file the command reads, or write the price without \`$\` (\`125 USD/hr\`). \`$N\` meant as an argument is
\`argument-index\`'s business.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Ok"\n---\nDeploy $0.\n\n```bash\ngit push origin $0\n```\n' } }],
    invalid: [
      {
        files: { '.claude/commands/rates.md': '---\ndescription: "Rates"\n---\nQuote $125/hr.\n\n```perl\nprint $1;\n```\n' },
        expected: [
          '.claude/commands/rates.md:4:7: warning `$125` looks like a price, but Claude Code replaces it with argument 126 when one is given (2.1.197: with an empty string when none is) [argument-substitution]',
          '.claude/commands/rates.md:7:7: warning `$1` belongs to a code sample, but Claude Code replaces it with argument 2 when one is given (2.1.197: with an empty string when none is) [argument-substitution]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || (file.kind !== 'command' && file.kind !== 'skill')) return;
    // One finding per index and kind: the first use, with how many more there are.
    const first = new Map<string, { offset: number; index: number; kind: string; more: number }>();
    for (const r of argumentRefs(md)) {
      if (r.kind === 'argument') continue;
      const key = `${r.kind}:${r.index}`;
      const seen = first.get(key);
      if (seen) seen.more++;
      else first.set(key, { ...r, more: 0 });
    }
    for (const r of first.values()) {
      const what = r.kind === 'price' ? 'looks like a price' : 'belongs to a code sample';
      const more = r.more ? ` (${r.more} more like it)` : '';
      ctx.report(file, {
        ...bodyPosition(md, r.offset),
        message: `\`$${r.index}\` ${what}, but Claude Code replaces it with argument ${r.index + 1} when one is given (2.1.197: with an empty string when none is)${more}`,
      });
    }
  },
});
