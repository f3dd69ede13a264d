import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tree } from './helpers.ts';

const bad = '---\ndescription: "Deploy"\nallowed-tools: Read\n---\nDeps: !`npm ls`\n';
const warnOnly = '---\ndescription: "Deploy"\ntitle: "Extra"\n---\nRun it.\n';
const clean = '---\ndescription: "Deploy"\nallowed-tools: Read\n---\nRun it.\n';

describe('build-commands lint', () => {
  it('prints one clickable line per finding and the summary on stderr, exit 1 on errors', async () => {
    const dir = tree({ '.claude/commands/bad.md': bad });
    const r = await cli(dir, 'lint');
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe(
      '.claude/commands/bad.md:5:7: error Command `npm ls` in `!`...`` is not read-only and not pre-approved by `allowed-tools`, so Claude Code aborts the command, expected a rule such as `Bash(npm ls:*)` [shell-preapproval]',
    );
    expect(r.err).toBe('1 error, 0 warnings in 1 file\n');
  });

  it('exits 0 on a clean tree and on warnings within --max-warnings, 1 past it', async () => {
    expect((await cli(tree({ '.claude/commands/ok.md': clean }), 'lint')).code).toBe(0);
    const dir = tree({ '.claude/commands/w.md': warnOnly });
    expect((await cli(dir, 'lint')).code).toBe(0);
    expect((await cli(dir, 'lint', '--max-warnings', '1')).code).toBe(0);
    const r = await cli(dir, 'lint', '--max-warnings', '0');
    expect(r.code).toBe(1);
    expect(r.err).toContain('more than --max-warnings 0');
  });

  it('names the flag and the allowed values for bad arguments (exit 1), exit 2 for a missing path', async () => {
    const dir = tree({});
    const f = await cli(dir, 'lint', '--format', 'xml');
    expect(f.code).toBe(1);
    expect(f.err).toContain('Usage: build-commands lint');
    expect(f.err).toContain('Invalid --format `xml`, expected one of `stylish`, `json`, `sarif`');
    expect((await cli(dir, 'lint', '--max-warnings', 'many')).err).toContain('Invalid --max-warnings `many`');
    // flags Node's parseArgs refuses are said plainly, as in orchestrate (was "Option '--max-warnings' argument is ambiguous.")
    const neg = await cli(dir, 'lint', '--max-warnings', '-1');
    expect([neg.code, neg.err.split('\n')[2]]).toEqual([1, 'Missing value after --max-warnings: the next argument `-1` starts with `-` (if it is the value, write `--max-warnings=-1`)']);
    expect((await cli(dir, 'lint', '--frmat', 'json')).err).toContain("Unknown option '--frmat'; allowed flags: --format, --json, --max-warnings, --config, --output, --profile, --help");
    expect((await cli(dir, '--outt', 'x')).err).toContain("Unknown option '--outt'; allowed flags: --src, --out, --target");
    expect((await cli(dir, 'import', '--to')).err).toContain('Missing value after --to');
    const m = await cli(dir, 'lint', 'nope');
    expect(m.code).toBe(2);
    expect(m.err).toContain('Path `nope` does not exist');
  });

  it('reads severities and options from .build-commands-lint.json and the package.json `lint` key', async () => {
    const dir = tree({ '.claude/commands/bad.md': bad, '.build-commands-lint.json': JSON.stringify({ rules: { 'shell-preapproval': 'warn' } }) });
    const r = await cli(dir, 'lint');
    expect(r.code).toBe(0);
    expect(r.out).toContain(': warning Command `npm ls`');
    const off = tree({ '.claude/commands/bad.md': bad, 'package.json': JSON.stringify({ lint: { rules: { 'shell-preapproval': 'off' } } }) });
    expect(await cli(off, 'lint')).toMatchObject({ code: 0, out: '' });
    const opt = tree({ '.claude/commands/w.md': warnOnly, '.build-commands-lint.json': JSON.stringify({ rules: { 'unknown-key': ['error', { allow: ['title'] }] } }) });
    expect(await cli(opt, 'lint')).toMatchObject({ code: 0, out: '' });
  });

  it('exits 2 for an invalid configuration', async () => {
    const dir = tree({ '.build-commands-lint.json': JSON.stringify({ rules: { 'no-such-rule': 'off' } }) });
    const r = await cli(dir, 'lint');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown rule `no-such-rule`');
  });

  it('a configuration problem is at its line and column and says what was expected; a byte order mark before the JSON is ignored', async () => {
    const cases: [string, string[]][] = [
      ['{"rules": {\n  "shell-preapproval": "of"}}', ['.build-commands-lint.json:2:24: error Unexpected setting `"of"` for rule `shell-preapproval`, expected `off`, `info`, `warn`, `error` or [severity, {options}] [lint-config]']],
      ['{"rules": {},\n "ignore": []}', ['.build-commands-lint.json:2:2: error Unknown key `ignore`, expected `$schema`, `rules` or `ignores` [lint-config]']],
      ['{"rules": {"a": 1,}}', ['.build-commands-lint.json:1:19: error Expected JSON: Expected double-quoted property name [lint-config]']],
      // a rule id or rule options the registry rejects: at the key or the option (they had no position)
      ['{"rules": {\n  "unknown-tol": "warn"}}', ['.build-commands-lint.json:2:3: error Unknown rule `unknown-tol`, expected `unknown-tool` [lint-config]']],
      ['{"rules": {\n  "unknown-tool": ["warn", {"allow": ["X", 4]}]}}', ['.build-commands-lint.json:2:44: error Invalid option `allow.1` of rule `unknown-tool`: Invalid input: expected string, received number [lint-config]']],
    ];
    for (const [config, lines] of cases) {
      const r = await cli(tree({ '.claude/commands/bad.md': bad, '.build-commands-lint.json': config }), 'lint');
      expect(r.code, config).toBe(2);
      expect(r.err.split('\n').filter((l) => l.startsWith('.build-commands-lint.json:')), config).toEqual(lines);
    }
    const bom = await cli(tree({ '.claude/commands/bad.md': bad, '.build-commands-lint.json': '\ufeff{"rules": {"shell-preapproval": "off"}}\r\n' }), 'lint');
    expect(bom).toMatchObject({ code: 0, out: '', err: '0 errors, 0 warnings in 1 file\n' });
  });

  it('honours inline disable comments in the body and the frontmatter', async () => {
    const dir = tree({
      '.claude/commands/a.md': '---\ndescription: "A"\n# build-commands-lint-disable-next-line unknown-tool\nallowed-tools: all\n---\nBody\n',
      '.claude/commands/b.md': '<!-- build-commands-lint-disable description-missing -->\nBody\n',
    });
    expect(await cli(dir, 'lint')).toMatchObject({ code: 0, out: '' });
  });

  it('prints JSON with counts for --format json and --json', async () => {
    const dir = tree({ '.claude/commands/bad.md': bad });
    const r = await cli(dir, 'lint', '--json');
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ files: 1, errors: 1, warnings: 0 });
    expect(j.diagnostics[0]).toMatchObject({ file: '.claude/commands/bad.md', line: 5, col: 7, severity: 'error', code: 'shell-preapproval' });
  });

  it('writes the report to --output', async () => {
    const dir = tree({ '.claude/commands/bad.md': bad });
    const r = await cli(dir, 'lint', '--format', 'sarif', '--output', 'lint.sarif');
    expect(r.out).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'lint.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('--output in a missing folder or onto a folder is a usage error naming the flag (exit 1), not an internal error', async () => {
    const dir = tree({ '.claude/commands/bad.md': bad });
    const missing = await cli(dir, 'lint', '--output', 'no/such/lint.sarif');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Cannot write --output `no/such/lint.sarif`: its folder does not exist\n');
    expect(missing.err).not.toContain('internal error');
    const folder = await cli(dir, 'lint', '--output', '.claude');
    expect(folder.code).toBe(1);
    expect(folder.err).toContain('Cannot write --output `.claude`: it is a folder\n');
    expect(readdirSync(dir).sort()).toEqual(['.claude']);
  });
});

describe('the documented GitHub Actions workflow', () => {
  it('runs its lint commands as written (SARIF to a file, then the log with --max-warnings 0)', async () => {
    const { CI_WORKFLOW } = await import('../../src/lint/docs.ts');
    const lines = [...CI_WORKFLOW.matchAll(/run: npx build-commands (lint .*)$/gm)].map((m) => m[1]!.split(' '));
    expect(lines).toHaveLength(2);
    const dir = tree({
      'commands/go.md': '---\ndescription: "Go"\n---\nSpawn:\n{{#spawn "worker" count=1 description="Do the work"}}Work{{/spawn}}\n',
      'agents/worker.md': '---\nname: worker\ndescription: "Works"\n---\nPrompt\n',
      'dist-claude/commands/go.md': '---\n# generated by build-commands — edit the source: commands/go.md\ndescription: "Go"\nallowed-tools: "Agent"\n---\n- subagent_type: "worker"\n',
      'dist-claude/agents/worker.md': '---\n# generated by build-commands — edit the source: agents/worker.md\nname: "worker"\ndescription: "Works"\n---\nPrompt\n',
    });
    const sarif = await cli(dir, ...lines[0]!);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'build-commands-lint.sarif'), 'utf8')).runs[0].results).toEqual([]);
    expect(await cli(dir, ...lines[1]!)).toMatchObject({ code: 0, out: '', err: '0 errors, 0 warnings in 4 files\n' });
  });
});
