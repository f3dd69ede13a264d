import { isMap, isScalar } from 'yaml';
import { z } from 'zod';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { frontmatterParsed, isComponent, keysFor } from '../keys.ts';
import { meantKey } from '../../definitions/key-mixups.ts';
import { nearest } from '../../definitions/suggest.ts';
import { listCode } from '../suggest.ts';
import { defineRule } from '../types.ts';

/** Frontmatter keys Claude Code does not read for the file's kind, with the likely intended key. */
export default defineRule({
  meta: {
    id: 'unknown-key',
    description: 'Frontmatter keys must be ones Claude Code reads for the file kind',
    severity: 'warning',
    docs: `Claude Code ignores unknown frontmatter keys without a word (CLAUDE-CODE.md, Commands), so a typo such as
\`allowed_tools\` silently drops the pre-approvals and every Bash call is denied (oracle: test/e2e/lint-oracle.test.ts \`key-typo\`,
2.1.329 and 2.1.197: the call \`allowed_tools\` was meant to pre-approve is denied in \`claude -p\`). Commands, skills and agents
read different keys: a command's \`allowed-tools\` is an agent's \`tools\`. The message names the key that was
probably meant. Extra keys you keep on purpose (\`title\`) can be listed in the \`allow\` option. Keys the client
knows beyond its docs (its own key table in 2.1.329: a command's \`name\` and \`version\`, a skill's \`version\`,
\`hide-from-slash-command-tool\`, an agent's \`initialPrompt\`, ... — \`CLIENT_EXTRA_KEYS\` in
src/definitions/claude-facts.ts) are accepted. Severity \`warning\`: the file works; the key does nothing.`,
    options: z.object({ allow: z.array(z.string()).default([]) }),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nallowed-tools: Read, Grep\n---\nBody\n' } },
      { files: { '.claude/commands/meta.md': '---\ndescription: "Fine"\ntitle: "Kept"\n---\nBody\n' }, options: { allow: ['title'] } },
      {
        files: {
          '.claude/commands/named.md': '---\nname: named\ndescription: "Fine"\nhide-from-slash-command-tool: true\n---\nBody\n',
          '.claude/skills/versioned/SKILL.md': '---\nname: versioned\ndescription: "Fine"\nversion: 2.0.0\n---\nBody\n',
          '.claude/agents/starter.md': '---\nname: starter\ndescription: "Fine"\ninitialPrompt: "Begin with the tests"\n---\nPrompt\n',
        },
        note: 'keys the 2.1.329 client knows',
      },
    ],
    invalid: [
      {
        files: { '.claude/commands/typo.md': '---\ndescription: "Typo"\nallowed_tools: Read\n---\nBody\n' },
        expected: ['.claude/commands/typo.md:3:1: warning Unknown key `allowed_tools` in command frontmatter, expected `allowed-tools` [unknown-key]'],
      },
      {
        files: { '.claude/agents/camel.md': '---\nname: camel\ndescription: "Camel"\nallowedTools: Read\n---\nBody\n' },
        expected: ['.claude/agents/camel.md:4:1: warning Unknown key `allowedTools` in agent frontmatter, expected `tools` [unknown-key]'],
      },
      {
        files: { '.claude/commands/extra.md': '---\ndescription: "Extra"\ntitle: "Not read"\n---\nBody\n' },
        expected: ['.claude/commands/extra.md:3:1: warning Unknown key `title` in command frontmatter, Claude Code ignores it [unknown-key]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md?.doc || !isComponent(file) || !frontmatterParsed(file) || !isMap(md.doc.contents)) return;
    const { keys, label } = keysFor(file);
    for (const pair of md.doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (keys.includes(key) || ctx.options.allow.includes(key)) continue;
      const guess = meantKey(file.kind as 'command' | 'agent' | 'skill', key) ?? nearest(key, keys);
      const pos = frontmatterPosition(md, [key], 'key');
      const message = guess
        ? `Unknown key \`${key}\` in ${label} frontmatter, expected \`${guess}\``
        : `Unknown key \`${key}\` in ${label} frontmatter, Claude Code ignores it`;
      ctx.report(file, { ...pos, message, ...(guess ? {} : { hint: `Keys Claude Code reads in ${label} files: ${listCode(keys)}.` }) });
    }
  },
});
