import { z } from 'zod';
import { injectedCommands, listedRules, suggestRule } from '../body.ts';
import { commandCovered, hasUnquotedBraces, runsWithoutApproval, splitCompound } from '../../definitions/permissions.ts';
import { defineRule } from '../types.ts';

const NESTED = 'a nested command (`$(…)`)';
const BRACES = 'unquoted braces (brace expansion)';

/** What in `command` the client cannot check before running it ({@link NESTED}, {@link BRACES}), or undefined. */
function uncheckable(command: string): string | undefined {
  if (/\$\(|<\(|`/.test(command)) return NESTED;
  if (hasUnquotedBraces(command)) return BRACES;
  return undefined;
}

/** `` !`cmd` `` and ```` ```! ```` blocks whose command no `allowed-tools` rule pre-approves and the client does not run unapproved. */
export default defineRule({
  meta: {
    id: 'shell-preapproval',
    description: '`` !`cmd` `` and ```` ```! ```` commands need a matching `allowed-tools` rule',
    severity: 'error',
    docs: `Claude Code runs \`\` !\`cmd\` \`\` (at a line start or after a space, inside fenced code blocks too) and the lines of
\`\`\`\`\`\`\`!\`\`\`\` blocks itself, before the prompt is sent, and pastes their output in. A command it judges read-only
(\`git status\`, \`git log\`, \`ls\`, \`cat\`, \`date\`, \`echo\`, … joined with \`|\`, \`&&\`, \`||\`: \`READ_ONLY_PROGRAMS\` in
src/definitions/claude-facts.ts) runs without approval; any other runs only when pre-approved (\`allowed-tools\` or
settings), otherwise **the whole command aborts** and no prompt reaches the model (seen on 2.1.329: \`Shell command
permission check failed for pattern "!\`npm --version\`": This command requires approval\`; 2.1.197 aborts with an
empty result). A line holding a nested command (\`$(…)\`) aborts even when a rule such as \`Bash(git:*)\` matches
its start (\`A nested command in this command can't be checked before it runs\`), and so does one holding unquoted
braces (\`git log @{u}..\` under \`Bash(git:*)\`: \`Brace expansion …\` on 2.1.329). Add a \`Bash(...)\` rule that
covers each one, or remove the \`!\`. Severity \`error\`: the command does
not run at all (test/e2e/lint-oracle.test.ts, both versions).`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/st.md': '---\ndescription: "Status"\nallowed-tools: Bash(npm ls:*)\n---\nDeps: !`npm ls --depth=0`\n' } },
      { files: { '.claude/commands/log.md': '---\ndescription: "Log"\n---\nState: !`git status --short`\nLast: !`git log --oneline -3 | head -1`\n' }, note: 'read-only commands run without approval' },
      { files: { '.claude/commands/ahead.md': '---\ndescription: "Ahead"\nallowed-tools: Bash(git:*)\n---\nUnpushed: !`git log \'@{u}..\' --oneline`\n' }, note: 'quoted braces are no brace expansion' },
      { files: { '.claude/commands/bisect.md': '---\ndescription: "Bisect"\nallowed-tools: Bash(git bisect:*)\n---\nState: !`git bisect log 2>/dev/null || echo "none"`\n' }, note: 'one part pre-approved, the other read-only' },
    ],
    invalid: [
      {
        files: {
          '.claude/commands/st.md': '---\ndescription: "Status"\nallowed-tools: Read\n---\nDeps: !`npm ls --depth=0`\n\n```!\ngh pr list\n```\n',
        },
        expected: [
          '.claude/commands/st.md:5:7: error Command `npm ls --depth=0` in `!`...`` is not read-only and not pre-approved by `allowed-tools`, so Claude Code aborts the command, expected a rule such as `Bash(npm ls:*)` [shell-preapproval]',
          '.claude/commands/st.md:8:1: error Command `gh pr list` in a ```! block is not read-only and not pre-approved by `allowed-tools`, so Claude Code aborts the command, expected a rule such as `Bash(gh pr:*)` [shell-preapproval]',
        ],
      },
      {
        files: { '.claude/commands/since.md': '---\ndescription: "Since"\nallowed-tools: Bash(git:*)\n---\nNew: !`git log $(git describe --tags --abbrev=0)..HEAD --oneline`\n' },
        expected: [
          '.claude/commands/since.md:5:6: error Command `git log $(git describe --tags --abbrev=0)..HEAD --oneline` in `!`...`` holds a nested command (`$(…)`), which Claude Code cannot check before it runs, so it aborts the command, expected the inner command in a `!` line of its own [shell-preapproval]',
        ],
      },
      {
        files: { '.claude/commands/ahead.md': '---\ndescription: "Ahead"\nallowed-tools: Bash(git:*)\n---\nUnpushed: !`git log @{u}.. --oneline`\n' },
        expected: [
          '.claude/commands/ahead.md:5:11: error Command `git log @{u}.. --oneline` in `!`...`` holds unquoted braces (brace expansion), which Claude Code cannot check before it runs, so it aborts the command, expected the braces quoted or the command in a script [shell-preapproval]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    if (file.kind !== 'command' && file.kind !== 'skill') return;
    const found = injectedCommands(file);
    if (found.length === 0) return;
    const rules = (listedRules(file, 'allowed-tools') ?? []).map((r) => r.text);
    for (const cmd of found) {
      const where = cmd.fenced ? 'a ```! block' : '`!`...``';
      // A nested command (`$(…)`, backquotes) or unquoted braces (brace expansion) cannot be checked before it
      // runs: the client aborts whatever the prefix rules say (seen on 2.1.329 and 2.1.197); only a bare `Bash`
      // rule is not judged.
      const unchecked = uncheckable(cmd.text);
      if (unchecked && !rules.some((r) => r.trim() === 'Bash')) {
        ctx.report(file, {
          line: cmd.line,
          col: cmd.col,
          message: `Command \`${cmd.text}\` in ${where} holds ${unchecked}, which Claude Code cannot check before it runs, so it aborts the command, expected ${unchecked === NESTED ? 'the inner command in a `!` line of its own' : 'the braces quoted or the command in a script'}`,
          hint: 'Claude Code runs these before the prompt is sent; one it may not run aborts the whole command (nothing reaches the model).',
        });
        continue;
      }
      // Each part of a compound line passes on its own: by a rule, or as a command the client runs unapproved.
      if (commandCovered(rules, cmd.text) || splitCompound(cmd.text).every((part) => commandCovered(rules, part) || runsWithoutApproval(part))) continue;
      ctx.report(file, {
        line: cmd.line,
        col: cmd.col,
        message: `Command \`${cmd.text}\` in ${where} is not read-only and not pre-approved by \`allowed-tools\`, so Claude Code aborts the command, expected a rule such as \`${suggestRule(cmd.text)}\``,
        hint: 'Claude Code runs these before the prompt is sent; one it may not run aborts the whole command (nothing reaches the model).',
      });
    }
  },
});
