/**
 * A repository whose root is a plugin, on disk: the plugin's own checks (agents paths in plugin.json, hooks)
 * and the repository's own `.claude/` tree, linted as a `.claude` tree (its `allowed_tools:` typo reported,
 * its commands not called misplaced plugin files).
 */
import { rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { cli, tree } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it('lints a plugin-root repository: plugin.json agents entries, hooks.json quoting, and the repository\'s own .claude/', async () => {
  const dir = tree({
    '.claude-plugin/plugin.json': '{\n  "name": "kit",\n  "agents": ["./agents"]\n}\n',
    'agents/helper.md': '---\nname: helper\ndescription: "Helps"\n---\nPrompt\n',
    'hooks/hooks.json': '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "bash ${CLAUDE_PLUGIN_ROOT}/hooks/stop.sh"}]}]}}\n',
    '.claude/commands/release.md': '---\ndescription: "Cut a release of this repository"\nallowed_tools: Bash(git tag:*)\n---\nTag it.\n',
    'docs/zh-CN/commands/release.md': '---\ndescription: "翻译"\n---\n翻译\n',
  });
  dirs.push(dir);
  const r = await cli(dir, 'lint', '.');
  const lines = r.out.split('\n').filter((l) => /\[[\w-]+\]$/.test(l) && !/: info /.test(l));
  expect(lines).toEqual([
    '.claude-plugin/plugin.json:3:14: error Plugin manifest `agents` entry `./agents` is not a `.md` file, expected paths such as `./agents/coord.md` (Claude Code refuses to install the plugin) [plugin-manifest]',
    '.claude/commands/release.md:3:1: warning Unknown key `allowed_tools` in command frontmatter, expected `allowed-tools` [unknown-key]',
    'hooks/hooks.json:1:64: warning Hook command `bash ${CLAUDE_PLUGIN_ROOT}/hooks/stop.sh` (hooks.Stop[0].hooks[0]) uses `${CLAUDE_PLUGIN_ROOT}` without quotes, expected `"${CLAUDE_PLUGIN_ROOT}/..."` (a path with a space splits the command) [plugin-hooks]',
  ]);
  const directory = await cli(dir, 'lint', '.', '--profile', 'directory');
  expect(directory.out).toContain('error Plugin has no README.md');
  expect(directory.out).toContain('error Plugin manifest has no `version`');
  expect((await cli(dir, 'lint', '.', '--profile', 'nope')).err).toContain('Unknown --profile `nope`, expected one of `directory`');
  expect((await cli(dir, 'lint', '.', '--profile', 'toString')).err).toContain('Unknown --profile `toString`'); // not a member of Object.prototype
});
