import { z } from 'zod';
import { defineRule } from '../types.ts';
import { misfitReports } from '../value-kinds.ts';

/** Frontmatter values of the wrong type that Claude Code drops, so the file does not do what it says. */
export default defineRule({
  meta: {
    id: 'value-type',
    description: 'Frontmatter values must have the type Claude Code expects',
    severity: 'error',
    docs: `YAML turns unquoted text into other types: \`description: [draft]\` is a list, \`model:\` with a list or mapping is
not a model name, \`tools: 42\` is a number. Claude Code drops such values (seen on 2.1.329 and 2.1.197,
test/e2e/lint-oracle.test.ts): a command whose \`description\` is a list, a mapping or empty is listed with its first
body line; an agent with such a \`description\` or a non-string \`name\` is not loaded; a non-string \`model\` runs the
default model; a number, boolean or mapping as \`tools\` leaves the agent with no tools (2.1.329 lists it with \`All tools\`). Severity \`error\`: the client
does something other than the file says. Values the client converts instead (\`argument-hint: [file]\` shows
\`file\`, \`description: 42\`, \`disable-model-invocation: "yes"\`) are \`value-coercion\`'s (a warning).`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nargument-hint: "[file]"\ndisable-model-invocation: true\n---\nBody\n' } },
      { files: { '.claude/agents/ok.md': '---\nname: ok\ndescription: "Fine"\ntools: [Read, Grep]\nmodel: haiku\n---\nBody\n' } },
    ],
    invalid: [
      {
        files: { '.claude/commands/desc.md': '---\ndescription: [draft]\n---\nBody\n' },
        expected: ['.claude/commands/desc.md:2:14: error Value of `description` is a list, expected a string; Claude Code drops it and lists the first body line instead [value-type]'],
      },
      {
        files: { '.claude/agents/turns.md': '---\nname: turns\ndescription: "Turns"\ntools: 42\nmodel: [haiku]\n---\nBody\n' },
        expected: [
          '.claude/agents/turns.md:4:8: error Value of `tools` is the number `42`, expected a comma string or a list of strings; Claude Code ignores it and the agent gets no tools [value-type]',
          '.claude/agents/turns.md:5:8: error Value of `model` is a list, expected a string; Claude Code ignores it and runs the default model [value-type]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    for (const r of misfitReports(file, 'dropped')) ctx.report(file, r);
  },
});
