import path from 'node:path';
import { z } from 'zod';
import { SKILL_FILE } from '../../definitions/claude-facts.ts';
import { defineRule } from '../types.ts';

/** Skill files Claude Code does not load: not named `SKILL.md` exactly, or nested below `skills/<name>/`. */
export default defineRule({
  meta: {
    id: 'skill-layout',
    description: 'Skills must be `skills/<name>/SKILL.md`, one level down, with that exact file name',
    severity: 'error',
    docs: `Claude Code loads a skill only from \`skills/<name>/SKILL.md\` (in \`.claude/\` or a plugin). Seen on 2.1.329
and 2.1.197 (docs/e2e.md "Skills"): a \`skill.md\` (another case) is not loaded at all, and a skill one folder deeper
(\`.claude/skills/grp/sub-skill/SKILL.md\`) is neither \`/sub-skill\` nor \`/grp:sub-skill\` — skills have no folder
namespaces. Rename the file to \`SKILL.md\`; move a nested skill up to \`skills/<name>/\` (join the folder into the
name, e.g. \`grp-sub-skill\`). Files beside \`SKILL.md\` (references, scripts) are fine.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      {
        files: {
          '.claude/skills/tidy/SKILL.md': '---\nname: tidy\ndescription: "Tidy"\n---\nSee [the guide](reference.md).\n',
          '.claude/skills/tidy/reference.md': '# Guide\n',
        },
      },
    ],
    invalid: [
      {
        files: {
          '.claude/skills/lower-file/skill.md': '---\nname: lower-file\ndescription: "Lower"\n---\nBody\n',
          '.claude/skills/grp/sub-skill/SKILL.md': '---\nname: sub-skill\ndescription: "Nested"\n---\nBody\n',
        },
        expected: [
          '.claude/skills/grp/sub-skill/SKILL.md:1:1: error Skill `grp/sub-skill` is nested, so Claude Code does not load it, expected `skills/grp-sub-skill/SKILL.md` (one level below `skills/`) [skill-layout]',
          '.claude/skills/lower-file/skill.md:1:1: error Skill file `skill.md` is not loaded by Claude Code, expected the name `SKILL.md` exactly [skill-layout]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind !== 'unloaded-skill') return;
    const base = path.posix.basename(file.path);
    if (base !== SKILL_FILE) {
      ctx.report(file, { line: 1, col: 1, message: `Skill file \`${base}\` is not loaded by Claude Code, expected the name \`${SKILL_FILE}\` exactly` });
      return;
    }
    const nested = /(?:^|\/)skills\/(.+)\/SKILL\.md$/.exec(file.path)?.[1] ?? file.name;
    ctx.report(file, { line: 1, col: 1, message: `Skill \`${nested}\` is nested, so Claude Code does not load it, expected \`skills/${nested.replace(/\//g, '-')}/SKILL.md\` (one level below \`skills/\`)` });
  },
});
