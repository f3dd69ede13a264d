import { z } from 'zod';
import { defineRule } from '../types.ts';
import { misfitReports } from '../value-kinds.ts';

/** Frontmatter values of another type that Claude Code converts (or whose effect is unknown): they work there, not by the spec. */
export default defineRule({
  meta: {
    id: 'value-coercion',
    description: 'Frontmatter values Claude Code converts from another type should be written in the expected type',
    severity: 'warning',
    docs: `Some values of the wrong type still work in Claude Code because it converts them (seen on 2.1.329 and 2.1.197,
test/e2e/lint-oracle.test.ts; \`COERCED_VALUES\` in src/definitions/claude-facts.ts): an unquoted
\`argument-hint: [file]\` (a YAML list) is shown as \`file\` (\`[a, b]\` as \`a,b\`), \`description: 42\` is listed as
\`42\`; \`disable-model-invocation: "yes"\` hides the command on 2.1.329 but not on 2.1.197. Empty values read as not
set; effects not observed (\`maxTurns: "5"\`, a tool list with a number in it) may be ignored. Severity \`warning\`:
the file loads, but the client shows or does something slightly different by version, and other tools reading the
YAML may reject it. Values the client drops are \`value-type\`'s (an error). Quote strings; write \`true\`/\`false\`.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nargument-hint: "[file]"\ndisable-model-invocation: true\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/hint.md': '---\ndescription: "Hint"\nargument-hint: [file]\n---\nBody\n' },
        expected: ['.claude/commands/hint.md:3:16: warning Value of `argument-hint` is a list, expected a string; Claude Code shows `file` [value-coercion]'],
      },
      {
        files: { '.claude/commands/flag.md': '---\ndescription: "Flag"\ndisable-model-invocation: "yes"\nmodel:\n---\nBody\n' },
        expected: [
          '.claude/commands/flag.md:3:27: warning Value of `disable-model-invocation` is the string `yes`, expected `true` or `false`; Claude Code 2.1.329 reads `yes`, `true` and `1` as true and other values as false, 2.1.197 ignores the value [value-coercion]',
          '.claude/commands/flag.md:4:1: warning Value of `model` is empty, expected a string; Claude Code reads it as not set [value-coercion]',
        ],
      },
      {
        files: { '.claude/agents/turns.md': '---\nname: turns\ndescription: 2024\nmaxTurns: "5"\ntools: [Read, 3]\n---\nBody\n' },
        expected: [
          '.claude/agents/turns.md:3:14: warning Value of `description` is the number `2024`, expected a string; Claude Code reads it as the text `2024`, other tools may not [value-coercion]',
          '.claude/agents/turns.md:4:11: warning Value of `maxTurns` is the string `5`, expected an integer; Claude Code may ignore it [value-coercion]',
          '.claude/agents/turns.md:5:8: warning Value of `tools` is a list, expected a comma string or a list of strings; Claude Code ignores the entries that are not strings [value-coercion]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const r of misfitReports(file, 'coerced')) ctx.report(file, r);
  },
});
