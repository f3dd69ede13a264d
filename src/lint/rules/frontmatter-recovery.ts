import { parseDocument } from 'yaml';
import { z } from 'zod';
import { defineRule } from '../types.ts';

/** True when `key: value` alone is not valid YAML (the line Claude Code's repair had to quote). */
function breaksAlone(key: string, value: string): boolean {
  return parseDocument(`${key}: ${value}`, { prettyErrors: false, strict: true }).errors.length > 0;
}

/** Frontmatter Claude Code reads only after repairing it, or with a key written twice. */
export default defineRule({
  meta: {
    id: 'frontmatter-recovery',
    description: 'Frontmatter should be strict YAML that every tool reads the same way',
    severity: 'warning',
    docs: `Claude Code repairs frontmatter that is not strict YAML before giving up on it: it double-quotes each
top-level \`key: value\` line whose value holds \`: \` or one of \`{}[]*&#!|>%@\` and a backquote, and turns
leading tabs into spaces (seen in the 2.1.197 and 2.1.329 clients, proven by test/e2e/lint-oracle.test.ts).
So \`argument-hint: [version-type] | --patch | --minor\` or \`description: Deploy: staging\` **work** in Claude
Code, which reads the text as written. Other tools that read the same files — YAML libraries, editors, other
linters, build steps — see a syntax error and may read nothing. A key written twice is read as its **last**
value by Claude Code; strict YAML readers reject the file.

Severity \`warning\`: the client loads the file and reads what the message says; the risk is every other
reader. Quote the value (\`argument-hint: "[version-type] | --patch | --minor"\`) and remove the duplicate.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/commands/ok.md': '---\ndescription: "Bump the version"\nargument-hint: "[major|minor|patch]"\n---\nBody\n' } }],
    invalid: [
      {
        files: { '.claude/commands/bump.md': '---\ndescription: Bump the version\nargument-hint: [level] | --dry-run\nallowed-tools: Bash(npm version:*)\n---\nBody\n' },
        expected: [
          '.claude/commands/bump.md:3:1: warning `argument-hint` is not valid YAML as written; Claude Code quotes it and reads `[level] | --dry-run`, other tools may read nothing [frontmatter-recovery]',
        ],
      },
      {
        files: { '.claude/agents/tabbed.md': '---\nname: tabbed\ndescription: Uses tabs\ntools:\n\t- Read\n---\nPrompt\n' },
        expected: ['.claude/agents/tabbed.md:1:1: warning Frontmatter is indented with tabs; Claude Code reads each tab as two spaces, strict YAML readers reject it [frontmatter-recovery]'],
      },
      {
        files: { '.claude/commands/twice.md': '---\ndescription: First text\ndescription: Second text\n---\nBody\n' },
        expected: ['.claude/commands/twice.md:3:1: warning Key `description` is written twice; Claude Code reads the last one, strict YAML readers reject the file [frontmatter-recovery]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const c = file.client;
    if (!c) return;
    if (c.status === 'recovered') {
      for (const q of c.quoted)
        if (breaksAlone(q.key, q.value))
          ctx.report(file, {
            line: q.line,
            col: 1,
            message: `\`${q.key}\` is not valid YAML as written; Claude Code quotes it and reads \`${q.value}\`, other tools may read nothing`,
            hint: `Write it quoted: ${q.key}: ${JSON.stringify(q.value)}`,
          });
      if (c.tabs) ctx.report(file, { line: 1, col: 1, message: 'Frontmatter is indented with tabs; Claude Code reads each tab as two spaces, strict YAML readers reject it' });
    }
    for (const d of c.duplicates)
      ctx.report(file, { line: d.line, col: 1, message: `Key \`${d.key}\` is written twice; Claude Code reads the last one, strict YAML readers reject the file` });
  },
});
