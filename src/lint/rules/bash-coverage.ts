import { z } from 'zod';
import { definedFunctions, isShellSyntax, listedRules, looksLikeProgramCode, shellCommands, suggestRule } from '../body.ts';
import { commandCovered, splitCompound } from '../../definitions/permissions.ts';
import { defineRule } from '../types.ts';

/** Shell commands the body tells the model to run that no `allowed-tools` rule pre-approves. */
export default defineRule({
  meta: {
    id: 'bash-coverage',
    description: 'Bash commands a command tells the model to run must be pre-approved in `allowed-tools`',
    severity: 'warning',
    docs: `\`allowed-tools\` pre-approves; without a matching rule a Bash call is **denied** in non-interactive runs
(\`claude -p\`, CI) and asks the user every time in interactive ones (CLAUDE-CODE.md, Commands). The rule
covers a command line when a rule \`Bash\`, \`Bash(prefix:*)\` or \`Bash(prefix *)\` matches it (every part of
\`a && b\`, \`a | b\`); \`\${CLAUDE_PLUGIN_ROOT}\` is compared literally. Commands are the lines of fenced
\`bash\`/\`sh\`/\`shell\` blocks and inline code that reads as a command (\`node …\`, \`git …\`, \`./script\`).
JavaScript or Python pasted into a shell-tagged block (\`const x = await f();\`, \`console.log(...)\`) is not
split into "commands". Applies to commands and skills. Severity \`warning\`: the call works after a prompt
(interactive) and is denied in \`claude -p\` (oracle: test/e2e/lint-oracle.test.ts \`bash-partial\`, 2.1.329 and 2.1.197: of
the two fenced lines the model runs, the covered one runs and the reported one is denied). In build-commands definitions, \`{{orchestrate …}}\` lines are skipped: the
build adds their rule itself.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      {
        files: {
          '.claude/commands/ship.md':
            '---\ndescription: "Ship"\nallowed-tools: Bash(git status:*), Bash(npm test *)\n---\nRun `git status --short`, then:\n\n```bash\nnpm test -- --run && git status\n```\n',
        },
      },
      {
        files: {
          'plugin/.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'plugin/commands/run.md': '---\ndescription: "Run"\nallowed-tools: Bash(node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs:*)\n---\n```bash\nnode ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs status\n```\n',
        },
        note: '${CLAUDE_PLUGIN_ROOT} matches literally',
      },
      {
        files: { '.claude/commands/js.md': '---\ndescription: "Js"\nallowed-tools: Bash(node:*)\n---\n```sh\nconst res = await fetch(url);\nif (res.ok) {\n  console.log(res.status);\n}\n```\n' },
        note: 'JavaScript in a shell-tagged block',
      },
    ],
    invalid: [
      {
        files: {
          '.claude/commands/ship.md':
            '---\ndescription: "Ship"\nallowed-tools: Bash(git status:*)\n---\nFirst `node .claude/scripts/orchestrate.mjs claim --agent $0`.\n\n```bash\ngit status && git push origin main\n```\n',
        },
        expected: [
          '.claude/commands/ship.md:5:8: warning Bash command `node .claude/scripts/orchestrate.mjs claim --agent $0` is not pre-approved by `allowed-tools`, expected a rule such as `Bash(node .claude/scripts/orchestrate.mjs:*)` [bash-coverage]',
          '.claude/commands/ship.md:8:1: warning Bash command `git push origin main` is not pre-approved by `allowed-tools`, expected a rule such as `Bash(git push:*)` [bash-coverage]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    if ((file.kind !== 'command' && file.kind !== 'skill') || !file.md) return;
    const rules = (listedRules(file, 'allowed-tools') ?? []).map((r) => r.text);
    const functions = definedFunctions(file.md.body);
    // One finding per missing rule: the first command that needs it, with how many more lines need it too.
    const missing = new Map<string, { part: string; line: number; col: number; more: number }>();
    for (const cmd of shellCommands(file)) {
      if (file.origin === 'definitions' && cmd.text.includes('{{')) continue;
      if (looksLikeProgramCode(cmd.text)) continue; // JavaScript or Python in a shell-tagged block: not commands
      for (const part of splitCompound(cmd.text)) {
        if (isShellSyntax(part, functions) || commandCovered(rules, part)) continue;
        const rule = suggestRule(part);
        const seen = missing.get(rule);
        if (seen) seen.more++;
        else missing.set(rule, { part, line: cmd.line, col: cmd.col, more: 0 });
      }
    }
    for (const [rule, m] of missing) {
      const more = m.more ? ` (${m.more} more like it)` : '';
      ctx.report(file, {
        line: m.line,
        col: m.col,
        message: `Bash command \`${m.part.length > 100 ? `${m.part.slice(0, 97)}...` : m.part}\` is not pre-approved by \`allowed-tools\`, expected a rule such as \`${rule}\`${more}`,
        hint: 'Without a matching rule the call is denied in non-interactive runs and asks every time in interactive ones.',
      });
    }
  },
});
