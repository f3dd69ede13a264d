import { z } from 'zod';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { defineRule, type LintFile } from '../types.ts';

/** Two commands, skills or agents of one tree with the same name. */
export default defineRule({
  meta: {
    id: 'duplicate-name',
    description: 'A name may be used by one command, skill or agent per tree',
    severity: 'error',
    docs: `Commands and skills share one namespace, and a skill wins over a command of the same name
(CLAUDE-CODE.md, Commands): the command silently disappears. Two agent files with one \`name\` leave only one
of them loaded. An agent and a command may share a name: the client keeps agents and commands apart (both are
offered). Each tree (a \`.claude\`
folder, a plugin, a definitions folder) is checked on its own; every file after the first (by path) is
reported.

A skill is named by its **folder** (seen on 2.1.329 and 2.1.197: \`skills/notes-a/SKILL.md\` with \`name: notes\`
is listed as \`notes-a\`), so two skill folders with the same frontmatter \`name\` do not collide. Two files with
the same text (a copy in another folder) are not reported: whichever the client keeps, it offers that definition.
Severity \`error\`: one of the two is not offered (oracle: test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197: of two
agents named \`twin\` the first file's is listed and spawned, the second's body never runs; \`/shadow\` typed runs the
skill, not the command of that name — 2.1.197 still lists the command's description to the model).`,
    options: z.object({}),
  },
  examples: {
    valid: [
      {
        files: {
          '.claude/commands/review-pr.md': '---\ndescription: "Review"\n---\nBody\n',
          '.claude/agents/code-reviewer.md': '---\nname: code-reviewer\ndescription: "Reviews"\n---\nPrompt\n',
          '.claude/commands/architect.md': '---\ndescription: "Plan"\n---\nBody\n',
          '.claude/agents/architect.md': '---\nname: architect\ndescription: "Plans"\n---\nPrompt\n',
        },
      },
      {
        files: {
          '.claude/skills/notes-a/SKILL.md': '---\nname: notes\ndescription: "A"\n---\nBody\n',
          '.claude/skills/notes-b/SKILL.md': '---\nname: notes\ndescription: "B"\n---\nBody\n',
        },
        note: 'skills are named by their folder',
      },
      {
        files: {
          '.claude/agents/review/checker.md': '---\nname: checker\ndescription: "Checks"\n---\nPrompt\n',
          '.claude/agents/checker.md': '---\nname: checker\ndescription: "Checks"\n---\nPrompt\n',
        },
        note: 'the same file twice offers the same agent',
      },
    ],
    invalid: [
      {
        files: {
          '.claude/commands/deploy.md': '---\ndescription: "Deploy"\n---\nBody\n',
          '.claude/skills/deploy/SKILL.md': '---\nname: deploy\ndescription: "Deploy skill"\n---\nBody\n',
          '.claude/agents/a.md': '---\nname: helper\ndescription: "One"\n---\nPrompt\n',
          '.claude/agents/b.md': '---\nname: helper\ndescription: "Two"\n---\nPrompt\n',
        },
        expected: [
          '.claude/agents/b.md:2:7: error Agent name `helper` is also used by agent `.claude/agents/a.md`, expected one definition per name [duplicate-name]',
          '.claude/skills/deploy/SKILL.md:1:1: error Skill name `deploy` is also used by command `.claude/commands/deploy.md`, expected one definition per name (the skill hides the command) [duplicate-name]',
        ],
      },
    ],
  },
  checkProject(project, ctx) {
    const seen = new Map<string, LintFile>();
    const files = project.files.filter((f) => f.kind === 'command' || f.kind === 'skill' || f.kind === 'agent').sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const f of files) {
      // Agents and commands/skills are separate namespaces in the client (an agent `x` and a command `/x` both load).
      const key = `${f.scope}\0${f.kind === 'agent' ? 'agent' : 'command'}\0${f.name}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, f);
        continue;
      }
      if (f.md && first.md && f.md.text === first.md.text) continue;
      const label = (x: LintFile) => (x.kind === 'skill' ? 'skill' : x.kind === 'agent' ? 'agent' : 'command');
      const Label = label(f)[0]!.toUpperCase() + label(f).slice(1);
      const hides = (f.kind === 'skill' && first.kind === 'command') || (f.kind === 'command' && first.kind === 'skill') ? ' (the skill hides the command)' : '';
      const pos = f.md && f.kind === 'agent' ? frontmatterPosition(f.md, ['name']) : { line: 1, col: 1 };
      ctx.report(f, { ...pos, message: `${Label} name \`${f.name}\` is also used by ${label(first)} \`${first.path}\`, expected one definition per name${hides}` });
    }
  },
});
