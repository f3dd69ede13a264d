import path from 'node:path';
import { z } from 'zod';
import { skillNameProblem } from '../../compiler/skill-names.ts';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { defineRule } from '../types.ts';

/** Skills whose folder name or `name` break the Agent Skills rules, or disagree. */
export default defineRule({
  meta: {
    id: 'skill-name',
    description: 'A skill needs `name` equal to its folder, in lowercase letters, digits and hyphens (at most 64)',
    severity: 'warning',
    docs: `The Agent Skills specification (read by Claude Code, Codex CLI, Gemini CLI, Cursor, GitHub Copilot, OpenCode)
requires \`name\` in \`SKILL.md\`: 1-64 lowercase letters, digits and single hyphens, equal to the skill's folder.
Claude Code is laxer and names the skill after its **folder** (seen on 2.1.329 and 2.1.197, docs/e2e.md "Skills"):
\`skills/named-other/SKILL.md\` with \`name: other-name\` is \`/named-other\`, and \`skills/Bad_Name/\` loads as
\`/Bad_Name\` — so a mismatch means the name you wrote is not the one users type, and a folder outside the rules
works in one client and not in the next. The frontmatter \`name\` still counts when typed: on 2.1.197 a skill
\`skills/review-helper/SKILL.md\` with \`name: review\` answers a typed \`/review\` in place of the project's
\`commands/review.md\` (scratch probe; \`BUILTIN_COMMANDS\` in src/definitions/claude-facts.ts). Rename the folder, and
write \`name:\` equal to it.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { '.claude/skills/exec-pause/SKILL.md': '---\nname: exec-pause\ndescription: "Pause"\n---\nBody\n' } }],
    invalid: [
      {
        files: {
          '.claude/skills/named-other/SKILL.md': '---\nname: other-name\ndescription: "Named otherwise"\n---\nBody\n',
          '.claude/skills/Bad_Name/SKILL.md': '---\nname: Bad_Name\ndescription: "Bad"\n---\nBody\n',
          '.claude/skills/no-name/SKILL.md': '---\ndescription: "No name"\n---\nBody\n',
        },
        expected: [
          '.claude/skills/Bad_Name/SKILL.md:1:1: warning Skill folder `Bad_Name` breaks the Agent Skills name rules, expected lowercase letters, digits and single hyphens [skill-name]',
          '.claude/skills/named-other/SKILL.md:2:7: warning Skill `name` is `other-name` but its folder is `named-other`, expected `name: named-other` (Claude Code invokes it as `/named-other`) [skill-name]',
          '.claude/skills/no-name/SKILL.md:1:1: warning Skill has no `name`, expected `name: no-name` (the Agent Skills spec requires it) [skill-name]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || file.kind !== 'skill') return;
    const folder = path.posix.basename(path.posix.dirname(file.path));
    const problem = skillNameProblem(folder, true);
    if (problem) ctx.report(file, { line: 1, col: 1, message: `Skill folder \`${folder}\` ${problem}` });
    const name = md.data.name;
    if (name === undefined) {
      if (!problem) ctx.report(file, { ...frontmatterPosition(md, []), message: `Skill has no \`name\`, expected \`name: ${folder}\` (the Agent Skills spec requires it)` });
    } else if (name !== folder)
      ctx.report(file, { ...frontmatterPosition(md, ['name']), message: `Skill \`name\` is \`${String(name)}\` but its folder is \`${folder}\`, expected \`name: ${folder}\` (Claude Code invokes it as \`/${folder}\`)` });
  },
});
