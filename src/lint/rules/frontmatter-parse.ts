import { z } from 'zod';
import { UNREAD_FRONTMATTER } from '../keys.ts';
import { defineRule } from '../types.ts';

/** Frontmatter Claude Code cannot read (even after its repair), never closed, not a mapping, or cut short by a `---` inside a value. */
export default defineRule({
  meta: {
    id: 'frontmatter-parse',
    description: 'Frontmatter must be YAML Claude Code can read, closed by `---` and a mapping',
    severity: 'error',
    docs: `Claude Code parses frontmatter as YAML; when that fails it **repairs** the block once (it double-quotes
every top-level \`key: value\` line whose value holds \`: \` or one of \`{}[]*&#!|>%@\` and a backquote, and turns
leading tabs into spaces) and parses again. Only when the repaired block still fails does it read **no
metadata at all**: a command's \`allowed-tools\` are gone and its description becomes the first body line; an
agent has no \`name\` and is not loaded. This rule reports exactly those files (a file the repair saves gets a
\`frontmatter-recovery\` warning instead), plus a block that is never closed or is not a mapping.

It also reports a \`---\` inside a value: Claude Code ends the frontmatter at the first \`---\`, even mid-line,
so \`description: a --- b\` reads \`a\` and every key after that line is lost.

Severity \`error\`: the oracle (test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197) shows such a command listed
with its first body line as description and such an agent missing from the Agent tool's list. Typical causes: an
indented line in the middle of the block (\`  x: [unclosed\`), an unclosed quote, a key with a digit or a dot
(the repair only touches keys of letters, \`_\` and \`-\`).`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Deploy: staging"\n---\nBody\n' } },
      { files: { '.claude/commands/repaired.md': '---\ndescription: Deploy: staging\nargument-hint: [env] | --dry-run\n---\nBody\n' }, note: 'Claude Code repairs these lines (frontmatter-recovery warns)' },
    ],
    invalid: [
      {
        files: { '.claude/commands/indent.md': '---\ndescription: Release the build\n  channel: beta: yes\nallowed-tools: Bash(git tag:*)\n---\nBody\n' },
        expected: ['.claude/commands/indent.md:2:14: error Frontmatter is not valid YAML, even after Claude Code\'s repair: Nested mappings are not allowed in compact mappings; Claude Code reads no metadata from this file [frontmatter-parse]'],
        note: 'an indented line in the middle',
      },
      {
        files: { '.claude/agents/quote.md': '---\nname: quote\ndescription: "Reviews the diff\ntools: Read\n---\nPrompt\n' },
        expected: ['.claude/agents/quote.md:4:12: error Frontmatter is not valid YAML, even after Claude Code\'s repair: Missing closing "quote; Claude Code reads no metadata from this file [frontmatter-parse]'],
      },
      {
        files: { '.claude/commands/dashes.md': '---\ndescription: Build --- then ship\nallowed-tools: Bash(npm run build:*)\n---\nBody\n' },
        expected: ['.claude/commands/dashes.md:2:20: error `---` inside a value ends Claude Code\'s frontmatter here: it reads no key after this point [frontmatter-parse]'],
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
      if (UNREAD_FRONTMATTER.has(p.code)) ctx.report(file, { line: p.line, col: p.col, message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
    const cut = file.client?.cut;
    if (cut)
      ctx.report(file, {
        ...cut,
        message: "`---` inside a value ends Claude Code's frontmatter here: it reads no key after this point",
        hint: 'Quote the value or write the dashes differently (`—`, `- - -`).',
      });
  },
});
