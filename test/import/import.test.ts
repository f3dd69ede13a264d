import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/build-commands.ts';
import { BufferStream } from '../../src/cli/io.ts';
import { COMMAND_KEYS } from '../../src/definitions/claude-facts.ts';
import { parseMarkdown } from '../../src/definitions/frontmatter.ts';
import { splitRuleList } from '../../src/definitions/permissions.ts';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bc-import-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function cli(cwd: string, ...argv: string[]) {
  const stdout = new BufferStream();
  const stderr = new BufferStream();
  const code = await main({ argv, cwd, stdout, stderr, env: {} });
  return { code, out: stdout.text, err: stderr.text };
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');

/** What Claude Code reads from a command file: the keys it knows (none when the frontmatter is broken) and the body. */
function asClaudeReads(file: string, text: string): { data: Record<string, unknown>; body: string } {
  const md = parseMarkdown(file, text);
  const broken = md.problems.length > 0;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(broken ? {} : md.data)) if ((COMMAND_KEYS as readonly string[]).includes(k)) data[k] = /tools$/i.test(k) && typeof v === 'string' ? splitRuleList(v).map((r) => r.text) : v;
  return { data, body: md.body };
}

describe('build-commands import', () => {
  it('converts comma strings to YAML lists, renames near-miss keys, drops unknown ones and reports each fix', async () => {
    const dir = tree({
      '.claude/commands/ship.md': '---\ndescription: Ship it\nallowed_tools: Read, Bash(git push:*)\nargument-hint: [branch]\ntitle: Ship\n---\nPush $0.\n',
      '.claude/agents/rev.md': '---\nname: reviewer\ndescription: Reviews diffs\ntools: Read, Grep, Task\nmodel: gpt-4\ncolor: blue\n---\nYou review {{diff}}.\n',
    });
    const r = await cli(dir, 'import', '.claude');
    expect(r.code).toBe(0);
    expect(read(dir, 'commands/ship.md')).toBe('---\ndescription: Ship it\nallowed-tools:\n  - Read\n  - Bash(git push:*)\nargument-hint: "[branch]"\n---\nPush $0.\n');
    expect(read(dir, 'agents/reviewer.md')).toBe('---\nname: reviewer\ndescription: Reviews diffs\ntools:\n  - Read\n  - Grep\n  - Agent\ncolor: blue\n---\nYou review \\{{diff}}.\n');
    expect(r.err).toContain('.claude/commands/ship.md:3:1: warning Renamed `allowed_tools` to `allowed-tools`: Claude Code ignored `allowed_tools`, the definition\'s `allowed-tools` applies [import-renamed-key]');
    expect(r.err).toContain('.claude/commands/ship.md:4:1: warning Quoted `argument-hint` as the string `[branch]` (unquoted it was a YAML list) [import-value]');
    expect(r.err).toContain('.claude/commands/ship.md:5:1: info Dropped `title`: Claude Code does not read it in a command [import-dropped-key]');
    expect(r.err).toContain('.claude/agents/rev.md:4:1: info Wrote `Agent` for the old tool name `Task` in `tools` (same tool) [import-tool-alias]');
    expect(r.err).toMatch(/\.claude\/agents\/rev\.md:5:1: warning Dropped `model`: Unexpected model `gpt-4`/);
    expect(r.out).toBe('.claude/agents/rev.md -> agents/reviewer.md\n.claude/commands/ship.md -> commands/ship.md\n');
    // The imported definitions build.
    const b = await cli(dir, '--src', '.', '--out', 'out/.claude');
    expect(b.code, b.err).toBe(0);
    expect(read(dir, 'out/.claude/agents/reviewer.md')).toContain('You review {{diff}}.');
  });

  it('takes names of Object.prototype (`constructor`, `toString`) for unknown keys and tools, never for aliases', async () => {
    const dir = tree({ '.claude/commands/p.md': '---\ndescription: x\nallowed-tools: Read, constructor, toString\nconstructor: 1\n---\nHello\n' });
    const r = await cli(dir, 'import', '.claude');
    expect(r.code).toBe(0);
    expect(read(dir, 'commands/p.md')).toBe('---\ndescription: x\nallowed-tools:\n  - Read\n---\nHello\n');
    expect(r.err).not.toContain('native code');
    expect(r.err).toContain('Dropped `constructor` from `allowed-tools`: Unexpected tool `constructor`');
    expect(r.err).toContain('.claude/commands/p.md:4:1: info Dropped `constructor`: Claude Code does not read it in a command [import-dropped-key]');
  });

  it('imports a plugin: namespaces are dropped from paths, agents keep their names', async () => {
    const dir = tree({
      'pk/.claude-plugin/plugin.json': '{"name": "pk"}',
      'pk/commands/ops/run.md': '---\ndescription: "Run"\nallowed-tools: Bash(node ${CLAUDE_PLUGIN_ROOT}/scripts/x.mjs:*)\n---\nRun `node ${CLAUDE_PLUGIN_ROOT}/scripts/x.mjs`.\n',
      'pk/agents/coord.md': '---\nname: coord\ndescription: "Coordinates"\n---\nPrompt\n',
    });
    const r = await cli(dir, 'import', 'pk', '--to', 'defs');
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(dir, 'defs/commands/ops'))).toEqual(['run.md']);
    expect(read(dir, 'defs/commands/ops/run.md')).toContain('  - Bash(node ${CLAUDE_PLUGIN_ROOT}/scripts/x.mjs:*)\n');
    expect(read(dir, 'defs/agents/coord.md')).toBe('---\nname: coord\ndescription: Coordinates\n---\nPrompt\n');
  });

  it('reports agents Claude Code skipped and frontmatter it could not read; exit 1 on unreadable frontmatter', async () => {
    const dir = tree({
      '.claude/agents/Helper.md': '---\nname: Helper_Bot\n---\nYou help.\n',
      '.claude/commands/broken.md': '---\ndescription: "unclosed\n---\nBody line.\n',
      '.claude/commands/bom.md': '\ufeff---\ndescription: "With BOM"\n---\nBody.\n',
    });
    const r = await cli(dir, 'import', '.', '--to', 'defs');
    expect(r.code).toBe(1);
    expect(r.err).toContain('warning Agent name `Helper_Bot` is not a definition name (lowercase letters, digits, hyphens; Claude Code loads it and matches `subagent_type` loosely); imported as `helper-bot` [import-name]');
    expect(r.err).toContain('warning Agent had no `description` (Claude Code skipped it); imported with the first body line `You help.` [import-description]');
    expect(r.err).toMatch(/broken\.md:\d+:\d+: error Frontmatter is not valid YAML, even after Claude Code's repair: .*Claude Code reads no metadata from this file; none was imported/);
    expect(r.err).toContain('bom.md:1:1: warning File started with a byte order mark, so Claude Code 2.1.197 read none of its frontmatter (2.1.329 strips the mark); imported without the mark (it applies on both) [import-frontmatter]');
    expect(r.err).not.toContain('bom.md:1:1: warning Frontmatter did not start at byte 0');
    expect(read(dir, 'defs/commands/bom.md')).toBe('---\ndescription: With BOM\n---\nBody.\n');
    expect(read(dir, 'defs/agents/helper-bot.md')).toContain('name: helper-bot\n');
  });

  it('says in words why a file was skipped: a file it could not read is an error naming why (exit 1), a skill or hooks file a warning', async () => {
    const dir = tree({
      'pl/.claude-plugin/plugin.json': '{"name":"pl"}\n',
      'pl/hooks/hooks.json': '{"hooks":{}}\n',
      'pl/commands/ok.md': '---\ndescription: "ok"\n---\nBody\n',
      'pl/skills/s/SKILL.md': '---\nname: s\ndescription: "s"\n---\nBody\n',
      'pl/skills/a/b/SKILL.md': '---\nname: b\ndescription: "b"\n---\nBody\n',
      'pl/agents/ag.md': '---\nname: ag\ndescription: "ag"\ntitle: x\n---\nBody\n',
    });
    writeFileSync(path.join(dir, 'pl/commands/latin.md'), Buffer.from('---\ndescription: "Caf\xe9"\n---\nBody\n', 'latin1'));
    const r = await cli(dir, 'import', 'pl', '--to', 'defs', '--dry-run');
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => /import-(skipped|dropped-key)/.test(l))).toEqual([
      'pl/agents/ag.md:4:1: info Dropped `title`: Claude Code does not read it in an agent [import-dropped-key]',
      'pl/commands/latin.md: error `pl/commands/latin.md` was not imported: File is not valid UTF-8, expected UTF-8 text (Claude Code would read replacement characters) [import-skipped]',
      'pl/hooks/hooks.json: warning File `pl/hooks/hooks.json` was not imported, expected a command or an agent (definitions have no hooks files) [import-skipped]',
      'pl/skills/a/b/SKILL.md: warning File `pl/skills/a/b/SKILL.md` was not imported, expected a command or an agent (definitions have no skills) [import-skipped]',
      'pl/skills/s/SKILL.md: warning Skill `pl/skills/s/SKILL.md` was not imported, expected a command or an agent (definitions have no skills) [import-skipped]',
    ]);
  });

  it('a --to that is a file, or a file where a target folder goes, is a usage error before anything is written (it was an internal error after the agents were written)', async () => {
    const dir = tree({
      '.claude/agents/ag.md': '---\nname: ag\ndescription: "ag"\n---\nDo\n',
      '.claude/commands/c.md': '---\ndescription: "c"\n---\nBody\n',
      notes: 'keep\n',
      'defs/commands': 'a file\n',
    });
    const file = await cli(dir, 'import', '.claude', '--to', 'notes');
    expect(file.code).toBe(1);
    expect(file.err).toContain('Cannot import into `notes`: `notes` is a file, expected a folder\n');
    const below = await cli(dir, 'import', '.claude', '--to', 'notes/defs');
    expect(below.err).toContain('Cannot import into `notes/defs`: `notes/defs` lies below a file, expected a folder\n');
    const inTheWay = await cli(dir, 'import', '.claude', '--to', 'defs');
    expect(inTheWay.code).toBe(1);
    expect(inTheWay.err).toContain('Cannot import into `defs`: `defs/commands` is a file, expected a folder\n');
    expect(readdirSync(path.join(dir, 'defs'))).toEqual(['commands']);
    expect(read(dir, 'notes')).toBe('keep\n');
  });

  it('refuses to overwrite definitions without --force (nothing written), and names bad arguments', async () => {
    const dir = tree({ '.claude/commands/a.md': '---\ndescription: "A"\n---\nA\n', 'commands/a.md': 'mine\n' });
    const r = await cli(dir, 'import', '.claude');
    expect(r.code).toBe(1);
    expect(r.err).toContain('1 definition file(s) already exist: `commands/a.md`');
    expect(read(dir, 'commands/a.md')).toBe('mine\n');
    expect((await cli(dir, 'import', '.claude', '--force')).code).toBe(0);
    expect(read(dir, 'commands/a.md')).toBe('---\ndescription: A\n---\nA\n');
    expect((await cli(dir, 'import')).err).toContain('Expected exactly one PATH, got 0');
    const missing = await cli(dir, 'import', 'missing');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('Path `missing` does not exist\nhint: Pass an existing project, .claude folder or plugin. Nothing was imported.\n');
  });
});

describe('round trip over the five seeds', () => {
  it('import then build gives files Claude Code reads the same way (name, frontmatter, body); every difference was reported', async () => {
    // The five seeds, as committed in the project's own fixtures (the paths place them as their names say).
    const seeds = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/lint-corpus/seeds/.claude/commands');
    const placed = ['04-execution.md', 'execute.md', 'execution-architecture.md', 'orchestrate/execute.md', 'execute-parallel-plan.md'];
    const dir = tree({});
    for (const rel of placed) {
      mkdirSync(path.dirname(path.join(dir, 'src/.claude/commands', rel)), { recursive: true });
      copyFileSync(path.join(seeds, rel), path.join(dir, 'src/.claude/commands', rel));
    }
    const imp = await cli(dir, 'import', 'src/.claude', '--to', 'defs', '--json');
    expect(imp.code, imp.err).toBe(0);
    const report = JSON.parse(imp.out) as { written: string[]; diagnostics: { file: string; severity: string; message: string; code: string }[] };
    expect(report.written).toHaveLength(5);
    const b = await cli(dir, '--src', 'defs', '--out', 'out/.claude');
    expect(b.code, b.err).toBe(0);
    for (const rel of placed) {
      const before = asClaudeReads(rel, read(dir, `src/.claude/commands/${rel}`));
      const after = asClaudeReads(rel, read(dir, `out/.claude/commands/${rel}`)); // same path → same /name
      // The build ends every file with a newline; a seed without a final newline differs only there.
      expect(after.body.replace(/\n$/, ''), rel).toBe(before.body.replace(/\n$/, ''));
      const reported = report.diagnostics.filter((d) => d.file === `src/.claude/commands/${rel}` && d.severity !== 'info');
      for (const key of new Set([...Object.keys(before.data), ...Object.keys(after.data)])) {
        if (JSON.stringify(before.data[key]) === JSON.stringify(after.data[key])) continue;
        expect(reported.some((d) => d.message.includes(`\`${key}\``) || (key === 'allowed-tools' && d.code === 'import-dropped-value')), `${rel}: \`${key}\` changed without a report`).toBe(true);
      }
    }
  });
});
