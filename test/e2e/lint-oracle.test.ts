/**
 * The linter against the real Claude Code: one tree (test/fixtures/lint-oracle, one file per case) is linted
 * and loaded in the client in a single `claude -p` run (lib/oracle.ts); every claim a rule makes about the
 * client ("reads no metadata", "the agent is not loaded", "reads the last one", "drops the tool") is checked
 * against what the client listed and spawned, on the version under test (docs/e2e.md; 2.1.329 pinned,
 * CLAUDE_CODE_E2E_VERSION=2.1.197 for the other).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeRules, LintConfigSchema } from '../../src/lint/config.ts';
import { RULES } from '../../src/lint/registry.ts';
import { discoverFiles, lintPaths } from '../../src/lint/runner.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import type { LintFile } from '../../src/lint/types.ts';
import { fencedBlocks } from '../../src/lint/body.ts';
import { initializeCommands, installPlugins, invokeCommands, loadTree, type InitCommand, type Invocation, type Loaded, type PluginLoad } from './lib/oracle.ts';
import { REPO_ROOT } from './stand-in/run-claude.ts';

const TREE = path.join(REPO_ROOT, 'test/fixtures/lint-oracle');
const OLD = process.env.CLAUDE_CODE_E2E_VERSION === '2.1.197';
/** Commands typed in the client (one run each): the `!` shell lines and the argument numbers. */
const INVOKE = [
  '/inject-write', '/inject-nested', '/inject-braces', '/inject-readonly', '/inject-approved', '/old-args alpha beta gamma', '/new-args alpha beta',
  '/perm-unclosed', '/perm-empty', '/bash-partial', '/key-typo', '/body-text alpha beta', '/shadow', '/status',
];
/** The probe script every Bash case runs (test/fixtures/lint-oracle/.claude/scripts/say.mjs prints `said ARGS`). */
const SAY = 'node .claude/scripts/say.mjs';
/** Agents spawned once each in the listing run, to read the tools, model and body they really get. */
const SPAWN = ['retired', 'release-manager', 'tools-num', 'model-list', 'tools-typo', 'tools-none', 'twin', 'gpt-model', 'ghost-reviewer'];
/** Rules whose error on an agent file claims the client does not load it. */
const NOT_LOADED = new Set(['frontmatter-parse', 'frontmatter-start', 'agent-required', 'agent-name', 'value-type']);
/** Agents 2.1.197 still loads although 2.1.329 skips them (our error is about 2.1.329): a `:` in the name. */
const LOADED_BY_OLD = new Set(['colon-name.md']);
/** Not asserted on 2.1.197: a 319-character name was listed in one 2.1.197 run and not in the next (it has no length check of its own). */
const UNSETTLED_ON_OLD = new Set(['long-name.md']);

/** The lines of a body's fenced `bash` blocks: the commands a command tells the model to run. */
function fencedBashLines(body: string): string[] {
  return fencedBlocks(body)
    .filter((b) => b.lang === 'bash')
    .flatMap((b) => b.lines.map((l) => l.text.trim()))
    .filter((l) => l !== '');
}

function readTree(dir: string, rel = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, readTree(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r));
  }
  return out;
}

/** The description the client shows for a command or skill whose metadata it did not read: the first body line. */
function firstBodyLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^#+\s*/, '').trim();
}

describe('lint rules agree with the real Claude Code', { timeout: 240_000 }, () => {
  let loaded: Loaded;
  let invoked: Map<string, Invocation>;
  let init: Map<string, InitCommand>;
  let plugins: PluginLoad;
  let files: LintFile[];
  let diags: Diagnostic[];
  const onFile = (f: LintFile) => diags.filter((d) => d.file === f.path);
  const base = (f: LintFile) => path.posix.basename(f.path);

  beforeAll(async () => {
    const rules = activeRules(RULES, LintConfigSchema.parse({}));
    files = await discoverFiles([TREE], '/');
    diags = (await lintPaths([TREE], '/', rules)).diagnostics;
    const tree = readTree(TREE);
    const market = Object.fromEntries(Object.entries(tree).filter(([p]) => p.startsWith('market/')).map(([p, t]) => [p.slice('market/'.length), t]));
    // The model runs in each command's turn the Bash calls the command asks for: the fenced lines of
    // /bash-partial, the say script elsewhere.
    const partial = fencedBashLines(files.find((f) => f.path.endsWith('/bash-partial.md'))!.md!.body);
    const bash = { '/perm-unclosed': [`${SAY} unclosed`], '/perm-empty': [`${SAY} empty`], '/key-typo': [`${SAY} typo`], '/bash-partial': partial };
    [loaded, invoked, init, plugins] = await Promise.all([
      loadTree(tree, { spawn: SPAWN }),
      invokeCommands(tree, INVOKE, { bash }),
      initializeCommands(tree),
      installPlugins(market, ['hooked', 'bad-agents'], ['hook-marks.log']),
    ]);
  });

  it('an agent is loaded exactly when no rule reports an error that says it is not', () => {
    const agents = files.filter((f) => f.kind === 'agent');
    expect(agents.length).toBeGreaterThan(8);
    for (const f of agents) {
      const name = f.md!.data.name;
      const listed = typeof name === 'string' && loaded.agents.has(name);
      const errors = onFile(f).filter((d) => d.severity === 'error' && NOT_LOADED.has(d.code) && (d.code !== 'value-type' || /`(name|description)`/.test(d.message)));
      if (OLD && UNSETTLED_ON_OLD.has(base(f))) continue;
      const predicted = errors.length === 0 || (OLD && LOADED_BY_OLD.has(base(f)));
      expect(listed, `${base(f)} (name ${String(name).slice(0, 40)}): ${errors.map((d) => d.message).join('; ') || 'no error'}`).toBe(predicted);
    }
  });

  it('a command or skill is listed with the description the linter says the client reads', () => {
    // Plugin files are not in the project (their listing is asserted with the plugin install below); names that
    // collide (duplicate-name, builtin-command) are listed by version: asserted below.
    const collides = (f: LintFile) => onFile(f).some((d) => d.code === 'builtin-command') || files.some((o) => o !== f && o.name === f.name && o.scope === f.scope && (o.kind === 'command' || o.kind === 'skill'));
    for (const f of files.filter((x) => (x.kind === 'command' || x.kind === 'skill') && x.origin !== 'plugin' && !collides(x))) {
      if (f.md!.data['disable-model-invocation'] !== undefined) continue; // hidden or not by version: asserted below
      const text = f.md!.text;
      const dropped = onFile(f).some((d) => d.code === 'value-type' && /`description`/.test(d.message));
      const unread = dropped || onFile(f).some((d) => d.code === 'frontmatter-parse' && !/`---` inside a value/.test(d.message)) || onFile(f).some((d) => d.code === 'frontmatter-start' && !/byte order mark/.test(d.message));
      const bomOld = OLD && text.charCodeAt(0) === 0xfeff;
      let expected: string;
      if (bomOld || (f.client?.status === 'none' && f.md!.hasFrontmatter)) expected = '---';
      else if (unread) expected = firstBodyLine(f.md!.body);
      else expected = String(f.md!.data.description);
      expect(loaded.skills.get(f.name), `${f.path}`).toBe(expected);
    }
  });

  it('frontmatter-recovery: the repaired value and the last duplicate are what the client reads', () => {
    const by = (n: string) => files.find((f) => base(f) === n)!;
    expect(onFile(by('recovered-colon.md')).map((d) => d.code)).toEqual(['frontmatter-recovery']);
    expect(loaded.skills.get('recovered-colon')).toBe('Sync: pull the docs and rebuild the index');
    expect(onFile(by('dup-key.md')).map((d) => d.message)).toEqual(['Key `description` is written twice; Claude Code reads the last one, strict YAML readers reject the file']);
    expect(loaded.skills.get('dup-key')).toBe('The second wording wins');
    // No knock-on finding: the repaired allowed-tools are read (no shell-preapproval, no bash-coverage).
    expect(onFile(by('recovered-hint.md')).filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([]);
  });

  it('retired tool names resolve to nothing in an agent (the linter names the current tool), `Task` is `Agent`', () => {
    const retired = files.find((f) => base(f) === 'retired.md')!;
    const names = onFile(retired).filter((d) => d.code === 'retired-tool').map((d) => /`(\w+)`/.exec(d.message)![1]);
    expect(names).toEqual(['LS', 'MultiEdit', 'NotebookRead', 'BashOutput', 'SlashCommand']);
    const spawned = loaded.spawned.get('retired');
    expect(spawned, 'retired agent spawned').toBeDefined();
    expect([...spawned!.tools].sort()).toEqual(['Agent', 'Grep', 'Read']);
    expect(spawned!.model).toMatch(/haiku/);
  });

  it('agent names: capitals and underscores load and are matched loosely; a long description is kept whole', () => {
    const caps = files.find((f) => base(f) === 'caps.md')!;
    expect(onFile(caps).map((d) => d.code)).toEqual([]);
    expect(loaded.agents.has('Release_Manager')).toBe(true);
    expect(loaded.refused).not.toContain('release-manager');
    expect(loaded.spawned.has('release-manager')).toBe(true);
    const long = files.find((f) => base(f) === 'long-desc.md')!;
    expect(onFile(long).map((d) => d.code)).toEqual([]);
    expect(loaded.agents.get('long-desc')?.description).toBe(long.md!.data.description);
  });

  it('skills are named by their folder: same `name` in two folders, a folder named unlike a built-in command', () => {
    expect(loaded.skills.get('notes-a')).toBe('Notes, first folder');
    expect(loaded.skills.get('notes-b')).toBe('Notes, second folder');
    expect(loaded.skills.get('review-helper')).toBe('Helps with reviews');
    const skillFindings = diags.filter((d) => /\/skills\/(notes-a|notes-b|review-helper)\//.test(d.file)).map((d) => d.code);
    expect(skillFindings.filter((c) => c === 'duplicate-name' || c === 'builtin-command' || c === 'unknown-key')).toEqual([]);
  });

  const by = (n: string) => files.find((f) => base(f) === n)!;
  const codes = (n: string, severity?: string) => onFile(by(n)).filter((d) => !severity || d.severity === severity).map((d) => d.code);

  it('shell-preapproval: a command it reports is aborted before the model; read-only and pre-approved `!` lines run', () => {
    expect(codes('inject-write.md')).toEqual(['shell-preapproval']);
    const write = invoked.get('/inject-write')!;
    expect(write.sent, 'no request reaches the model').toBe(false);
    // 2.1.329 names the pattern; 2.1.197 aborts with an empty result.
    if (!OLD) expect(write.result).toMatch(/^Shell command permission check failed for pattern "!`npm --version`": This command requires approval/);
    // A nested command aborts although `Bash(ls:*)` matches the line's start.
    expect(codes('inject-nested.md')).toEqual(['shell-preapproval']);
    expect(invoked.get('/inject-nested')!.sent).toBe(false);
    if (!OLD) expect(invoked.get('/inject-nested')!.result).toMatch(/nested command/);
    // Unquoted braces (brace expansion, as `git log @{u}..` under `Bash(git:*)` in a public plugin) abort although
    // `Bash(node -e:*)` matches and the line would succeed.
    expect(codes('inject-braces.md')).toEqual(['shell-preapproval']);
    expect(invoked.get('/inject-braces')!.sent, invoked.get('/inject-braces')!.result).toBe(false);
    if (!OLD) expect(invoked.get('/inject-braces')!.result).toMatch(/Brace expansion/);
    expect(codes('inject-readonly.md')).toEqual([]);
    const ro = invoked.get('/inject-readonly')!;
    expect(ro.sent, ro.result).toBe(true);
    expect(ro.body).not.toContain('!`');
    expect(ro.body).toMatch(/Readme: none/);
    expect(codes('inject-approved.md')).toEqual([]);
    expect(invoked.get('/inject-approved')!.body).toContain('Answer: 42');
    // A compound line: one part pre-approved, the other read-only.
    expect(invoked.get('/inject-approved')!.body).toContain('Mixed: 7');
    // Braces inside quotes are no brace expansion: the line runs.
    expect(invoked.get('/inject-approved')!.body).toContain('Braces: {ok}');
  });

  it('argument-index: `$1` is the second argument and `$2` the third', () => {
    expect(codes('old-args.md')).toEqual(['argument-index', 'argument-index']);
    expect(invoked.get('/old-args alpha beta gamma')!.body).toContain('Deploy beta to gamma.');
    expect(codes('new-args.md')).toEqual([]);
    expect(invoked.get('/new-args alpha beta')!.body).toContain('Deploy alpha to beta.');
  });

  it('value-type: the values it reports are dropped (first body line, every tool, the default model)', () => {
    expect(codes('desc-list.md')).toEqual(['value-type']);
    expect(loaded.skills.get('desc-list')).toBe('Draft notes from a list description');
    expect(codes('tools-num.md')).toEqual(['value-type']);
    // Listed with `All tools` on 2.1.329, yet spawned with none (both versions).
    expect(loaded.spawned.get('tools-num')?.tools).toEqual([]);
    expect(codes('model-list.md')).toEqual(['value-type']);
    expect(loaded.spawned.get('model-list')?.model).not.toMatch(/haiku/);
    expect(loaded.spawned.get('retired')?.model, 'a string model is used').toMatch(/haiku/);
  });

  it('value-coercion: the values it reports are converted (hint `file`, description `42`, `"yes"` by version)', () => {
    expect(codes('hint-list.md')).toEqual(['value-coercion']);
    expect(init.get('hint-list')?.argumentHint).toBe('file');
    expect(init.get('new-args')?.argumentHint, 'a quoted hint is shown as written').toBe('<service> <env>');
    expect(codes('desc-num.md')).toEqual(['value-coercion']);
    expect(loaded.skills.get('desc-num')).toBe('42');
    expect(codes('dmi-yes.md')).toEqual(['value-coercion']);
    // 2.1.329 reads "yes" as true (hidden from the model); 2.1.197 ignores it (listed).
    expect(loaded.skills.has('dmi-yes')).toBe(OLD);
  });

  it('unknown-tool: names the client does not have give the agent nothing (case-sensitive)', () => {
    expect(onFile(by('tools-typo.md')).map((d) => `${d.severity} ${/`(\w+)`/.exec(d.message)![1]}`)).toEqual(['warning bash', 'warning Frobnicate']);
    expect(loaded.spawned.get('tools-typo')?.tools).toEqual(['Read']);
  });

  it('agent-tools-empty: an agent whose tools are all unknown is refused (2.1.329) or runs with none (2.1.197)', () => {
    expect(codes('tools-none.md', 'error')).toEqual(['agent-tools-empty']);
    expect(codes('tools-typo.md', 'error'), 'one known tool: no error').toEqual([]);
    if (OLD) expect(loaded.spawned.get('tools-none')?.tools).toEqual([]);
    else {
      expect(loaded.spawned.has('tools-none')).toBe(false);
      expect(loaded.refusals.join('\n')).toMatch(/would be spawned with zero tools — refusing/);
    }
  });

  const ran = (prompt: string) => invoked.get(prompt)!.bash.map((o) => `${o.kind} ${o.command}`);

  it('permission-rule: a rule without its `)` pre-approves nothing (the call is denied in -p); `Bash()` reads as `Bash`', () => {
    expect(codes('perm-unclosed.md')).toEqual(['permission-rule']);
    expect(ran('/perm-unclosed')).toEqual([`denied ${SAY} unclosed`]);
    // The client disagrees with "matches nothing": an empty specifier pre-approves every Bash call (both versions).
    expect(onFile(by('perm-empty.md')).map((d) => `${d.code} ${d.message}`)).toEqual([
      'permission-rule Permission rule `Bash()` in `allowed-tools` has an empty specifier `()`, which Claude Code reads as `Bash` alone: it pre-approves every `Bash` call, expected `Bash(…)` with a specifier such as `Bash(git status:*)`, or `Bash` to mean every call',
    ]);
    expect(ran('/perm-empty')).toEqual([`ok ${SAY} empty`]);
    expect(invoked.get('/perm-empty')!.bash[0]!.output).toContain('said empty');
  });

  it('bash-coverage: the fenced line it reports is denied in -p, the covered one runs', () => {
    const partial = by('bash-partial.md');
    const reported = onFile(partial).filter((d) => d.code === 'bash-coverage').map((d) => /`([^`]+)`/.exec(d.message)![1]);
    expect(onFile(partial).map((d) => d.code)).toEqual(['bash-coverage']);
    const lines = fencedBashLines(partial.md!.body);
    expect(lines.length, 'one covered line and one reported line').toBe(2);
    expect(ran('/bash-partial')).toEqual(lines.map((l) => `${reported.includes(l) ? 'denied' : 'ok'} ${l}`));
  });

  it('unknown-key: a misspelt `allowed_tools` pre-approves nothing (the call is denied in -p)', () => {
    expect(onFile(by('key-typo.md')).map((d) => d.message)).toEqual(['Unknown key `allowed_tools` in command frontmatter, expected `allowed-tools`']);
    expect(ran('/key-typo')).toEqual([`denied ${SAY} typo`]);
  });

  it('argument-substitution and unresolved-placeholder: prices and code samples receive arguments, templates reach the model as written', () => {
    expect(codes('body-text.md')).toEqual(['argument-substitution', 'argument-substitution', 'argument-substitution', 'unresolved-placeholder', 'unresolved-placeholder']);
    const body = invoked.get('/body-text alpha beta')!.body;
    expect(body).toContain('Estimate sprint for team alpha.');
    expect(body, 'a price $1,000 gets the second argument').toContain('The budget is beta,000 per sprint');
    expect(body, 'the code sample too').toContain('print beta;');
    // `$125` with two arguments: 2.1.329 leaves it, 2.1.197 puts an empty string in (the message's "(2.1.197: …)").
    expect(body).toContain(OLD ? 'bill Rate /hr.' : 'bill Rate $125/hr.');
    expect(body, 'no template engine').toContain('{{#if urgent}}Flag it as urgent.{{/if}}');
  });

  it('duplicate-name: a skill hides the command of its name, and of two agents with one name only the first is offered', () => {
    expect(codes('twin-b.md')).toEqual(['duplicate-name']);
    expect(codes('twin-a.md')).toEqual([]);
    expect(loaded.agents.get('twin')?.description).toBe(by('twin-a.md').md!.data.description);
    expect(loaded.spawned.get('twin')?.system).toContain('TWIN-FIRST-BODY');
    expect(loaded.spawned.get('twin')?.system).not.toContain('TWIN-SECOND-BODY');
    const skill = files.find((f) => f.kind === 'skill' && f.name === 'shadow')!;
    expect(onFile(skill).map((d) => d.code)).toEqual(['duplicate-name']);
    // Typed, `/shadow` runs the skill on both versions (the listing shows the skill on 2.1.329, the command's description on 2.1.197).
    expect(invoked.get('/shadow')!.body).toContain('SHADOW-AS-SKILL');
    expect(invoked.get('/shadow')!.body).not.toContain('SHADOW-AS-COMMAND');
    expect(loaded.skills.get('shadow')).toBe(OLD ? by('shadow.md').md!.data.description : skill.md!.data.description);
  });

  it('builtin-command: a command named like a built-in is listed and runs when typed; 2.1.197 lists the built-in `review` in its place', () => {
    expect(codes('status.md', 'warning')).toEqual(['builtin-command']);
    expect(codes('review.md', 'warning')).toEqual(['builtin-command']);
    expect(loaded.skills.get('status')).toBe(by('status.md').md!.data.description);
    expect(invoked.get('/status')!.body).toContain('List the open tickets and who holds them.');
    // `/review` is not typed here: on 2.1.197 the skill review-helper (`name: review`) takes the typed `/review`
    // from the command (scratch probe, BUILTIN_COMMANDS in claude-facts.ts).
    const listed = loaded.skills.get('review');
    if (OLD) expect(listed, 'the model reads the built-in review instead').not.toBe(by('review.md').md!.data.description);
    else expect(listed).toBe(by('review.md').md!.data.description);
  });

  it('unknown-agent: a `subagent_type` it reports is refused; unknown-model: the model id is sent as written', () => {
    expect(codes('spawn-ghost.md')).toEqual(['unknown-agent']);
    expect(diags.find((d) => d.code === 'unknown-agent')!.message).toMatch(/^Agent `ghost-reviewer` is not defined/);
    expect(loaded.refused).toEqual(['ghost-reviewer']);
    expect(codes('gpt-model.md')).toEqual(['unknown-model']);
    // No Claude model is called that: the client neither refuses nor maps it, the Messages API gets `gpt-4`.
    expect(loaded.spawned.get('gpt-model')?.model).toBe('gpt-4');
    expect(loaded.spawned.get('retired')?.model, 'an alias is mapped to a Claude model id').toMatch(/^claude-haiku/);
  });

  it('plugin-manifest, plugin-layout, plugin-hooks: a refused install, an unlisted command, the unquoted hooks fail under a path with a space', () => {
    expect(plugins.marketDir).toContain(' ');
    const inPlugin = (rel: string) => diags.filter((d) => d.file.endsWith(`/market/${rel}`)).map((d) => d.code);
    expect(inPlugin('bad-agents/.claude-plugin/plugin.json')).toEqual(['plugin-manifest']);
    expect(inPlugin('hooked/.claude-plugin/plugin.json')).toEqual([]);
    expect(plugins.installs.get('hooked')?.exitCode).toBe(0);
    const bad = plugins.installs.get('bad-agents')!;
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(OLD ? /agents: Invalid input/ : /agents\.0: Invalid string: must end with "\.md"/);
    expect(plugins.skills.has('bad-agents:hello'), 'nothing of the refused plugin loads').toBe(false);

    expect(inPlugin('hooked/command/misplaced.md')).toEqual(['plugin-layout']);
    expect(inPlugin('hooked/commands/placed.md')).toEqual([]);
    expect(plugins.skills.get('hooked:placed')).toBe('A plugin command in the folder the client scans');
    expect([...plugins.skills.keys()].filter((k) => /misplaced/.test(k))).toEqual([]);

    const hooks = diags.filter((d) => d.code === 'plugin-hooks').map((d) => /mark\.mjs (\S+)`/.exec(d.message)![1]);
    expect(hooks).toEqual(['start-unquoted', 'prompt-unquoted']);
    const marks = (plugins.project.get('hook-marks.log') ?? '').split('\n').filter(Boolean).sort();
    expect(marks, 'only the quoted hooks ran').toEqual(['prompt-quoted', 'start-quoted']);
  });
});
