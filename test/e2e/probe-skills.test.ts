/**
 * Probe: how the real Claude Code loads and runs skills (`.claude/skills/<name>/SKILL.md` and a plugin's
 * `skills/<name>/SKILL.md`), with the hand-written fixtures test/e2e/fixtures/probe-skills and probe-plugin.
 * These are the oracles of the compiler's skills target (src/compiler/skill-names.ts, src/compiler/target.ts) and of
 * the skill lint rules (src/lint/rules/skill-*.ts): each fact a rule relies on is asserted here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from './stand-in/server.ts';
import { makeSandbox, runClaude } from './stand-in/run-claude.ts';
import { bashOutcomes, commandTurn, describeOutcomes, skillList, turnRequests } from './lib/inspect.ts';
import { bash, batchScript } from './lib/script.ts';
import { installPlugin } from './lib/plugin.ts';
import { activeRules, LintConfigSchema } from '../../src/lint/config.ts';
import { RULES } from '../../src/lint/registry.ts';
import { lintPaths } from '../../src/lint/runner.ts';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

describe('probe: skills in .claude/skills and in a plugin', { timeout: 180_000 }, () => {
  let server: StandIn;
  let box: ReturnType<typeof makeSandbox>;
  beforeAll(async () => {
    box = makeSandbox();
    server = await startStandIn();
    fs.cpSync(path.join(FIXTURES, 'probe-skills/.claude'), path.join(box.project, '.claude'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'probe-plugin'), path.join(box.root, 'plugin'), { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
    box?.cleanup();
  });

  /** Runs `prompt` with a model that issues `calls` as Bash in its first turn; what reached the model and what ran. */
  async function probe(prompt: string, calls: string[] = []) {
    server.requests.length = 0;
    server.setScript(batchScript([calls.map((c) => bash(c))]));
    const run = await runClaude(prompt, { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const first = turnRequests(server.requests)[0];
    return { cmd: first ? commandTurn(first) : undefined, listed: first ? skillList(first) : new Map<string, string>(), outcomes: bashOutcomes(server.requests) };
  }

  it('runs a skill as /NAME ARGS: $0, $1, $ARGUMENTS and ${CLAUDE_SKILL_DIR} substituted after a base-directory line; allowed-tools pre-approves; disable-model-invocation hides it from the model', async () => {
    const dir = path.join(box.project, '.claude/skills/exec-pause');
    const r = await probe('/exec-pause lunch now', ['node .claude/scripts/helper.mjs pause lunch']);
    expect(r.cmd?.name).toBe('/exec-pause');
    expect(r.cmd?.args).toBe('lunch now');
    expect(r.cmd?.body).toBe(`Base directory for this skill: ${dir}\n\nSKILL-BODY ARG0=[lunch] ARG1=[now] RAW=[lunch now] DIR=[${dir}]\n\nRun \`node .claude/scripts/helper.mjs pause lunch\`.\n`);
    expect(r.outcomes.map((o) => [o.command, o.kind, o.exitCode]), describeOutcomes(r.outcomes)).toEqual([['node .claude/scripts/helper.mjs pause lunch', 'ok', 0]]);
    // disable-model-invocation: true → not in the listing the model reads; the others are.
    expect(r.listed.has('exec-pause')).toBe(false);
    expect(r.listed.get('skill-dir')).toBe('Probe skill: calls the helper through CLAUDE_SKILL_DIR');
  });

  it('pre-approves `${CLAUDE_SKILL_DIR}/../../scripts/…` only as that literal path: the same helper by its plain absolute path is denied', async () => {
    const dir = path.join(box.project, '.claude/skills/skill-dir');
    const viaSkillDir = `node ${dir}/../../scripts/helper.mjs via-skill-dir`;
    const absolute = `node ${path.join(box.project, '.claude/scripts/helper.mjs')} absolute`;
    const r = await probe('/skill-dir', [viaSkillDir, absolute]);
    expect(r.cmd?.body).toContain(`SKILL-DIR-BODY Run \`${viaSkillDir}\`.`);
    expect(r.outcomes.map((o) => [o.command, o.kind]), describeOutcomes(r.outcomes)).toEqual([
      [viaSkillDir, 'ok'],
      [absolute, 'denied'],
    ]);
  });

  it('loads only <folder>/SKILL.md one level below skills/: no nested folders, no skill.md; the folder is the name', async () => {
    for (const prompt of ['/sub-skill x', '/grp:sub-skill x', '/lower-file']) expect((await probe(prompt)).cmd, `${prompt} resolved`).toBeUndefined();
    const listed = (await probe('/no-desc')).listed;
    expect([...listed.keys()].filter((k) => /sub-skill|lower-file/.test(k))).toEqual([]);
    // `name: other-name` in folder named-other: invoked and shown under the folder name (2.1.329 lists
    // `named-other (other-name)`, 2.1.197 `named-other`); typing the frontmatter name reaches the same skill.
    for (const prompt of ['/named-other', '/other-name']) expect((await probe(prompt)).cmd?.name).toBe('/named-other');
    expect([...listed.keys()].find((k) => k.startsWith('named-other'))).toMatch(/^named-other( \(other-name\))?$/);
    // A name outside the Agent Skills rules still loads in Claude Code, case-sensitively.
    expect((await probe('/Bad_Name')).cmd?.name).toBe('/Bad_Name');
    expect((await probe('/bad_name')).cmd).toBeUndefined();
  });

  it('lists a skill without `description` under its first body line, and a 1309-character description in full', async () => {
    const r = await probe('/no-desc');
    expect(r.cmd?.name).toBe('/no-desc');
    expect(r.listed.get('no-desc')).toBe('NO-DESC-BODY first line of the body.');
    // Over the Agent Skills spec's 1024 characters, yet Claude Code lists all of it (other agent CLIs follow the spec).
    const written = /description: "(.*)"/.exec(fs.readFileSync(path.join(FIXTURES, 'probe-skills/.claude/skills/long-desc/SKILL.md'), 'utf8'))![1]!;
    expect(written.length).toBe(1309);
    expect(r.listed.get('long-desc')).toBe(written);
  });

  it('oracle of the skill lint rules: skill-layout flags exactly the files the client did not load, skill-name exactly the names it did not use, description-missing/-length the descriptions outside the spec', async () => {
    const skills = path.join(box.project, '.claude/skills');
    const files = fs.readdirSync(skills, { recursive: true, encoding: 'utf8' }).filter((f) => /(^|\/)skill\.md$/i.test(f)).sort();
    const lint = await lintPaths(['.claude'], box.project, activeRules(RULES, LintConfigSchema.parse({})));
    const codes = (rel: string) => lint.diagnostics.filter((d) => d.file === `.claude/skills/${rel}`).map((d) => d.code).sort();
    const rows: string[] = [];
    for (const rel of files) {
      const folder = path.basename(path.dirname(rel));
      const written = /^name: (.*)$/m.exec(fs.readFileSync(path.join(skills, rel), 'utf8'))?.[1];
      const r = await probe(`/${folder}`);
      const loaded = r.cmd !== undefined;
      rows.push(`${rel}: loaded=${loaded}${loaded ? ` as ${r.cmd!.name}` : ''} lint=${codes(rel).join(',') || '-'}`);
      expect(codes(rel).includes('skill-layout'), `${rel}: skill-layout ⇔ not loaded`).toBe(!loaded);
      // Claude Code names the skill after its folder: a different `name` is reported (Bad_Name: the spec's rules).
      if (loaded) expect(r.cmd!.name).toBe(`/${folder}`);
      const specName = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(folder);
      expect(codes(rel).includes('skill-name'), `${rel}: skill-name ⇔ name ≠ folder or folder outside the spec`).toBe(loaded && (written !== folder || !specName));
      expect(codes(rel).includes('description-missing'), `${rel}: description-missing`).toBe(loaded && r.listed.get(folder)?.startsWith('NO-DESC-BODY') === true);
      expect(codes(rel).includes('description-length'), `${rel}: description-length`).toBe(loaded && (r.listed.get(folder)?.length ?? 0) > 1024);
    }
    expect(rows.length).toBe(files.length);
    console.log(rows.join('\n'));
  });

  /** The tool_result blocks of the recorded requests that mention `marker` (a file's content once read). */
  function resultsWith(marker: string) {
    return turnRequests(server.requests)
      .flatMap((b) => b.messages)
      .flatMap((m) => (typeof m.content === 'string' ? [] : m.content))
      .filter((b) => b.type === 'tool_result' && JSON.stringify(b.content).includes(marker));
  }

  it('progressive disclosure: the model reads a reference file beside SKILL.md with Read, no approval needed, as written (no arguments substituted); project and plugin skill', async () => {
    const dir = path.join(box.project, '.claude/skills/exec-pause');
    server.requests.length = 0;
    server.setScript(batchScript([[{ type: 'tool_use', name: 'Read', input: { file_path: path.join(dir, 'reference.md') } }]]));
    const run = await runClaude('/exec-pause now', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const read = resultsWith('REFERENCE-CONTENT of exec-pause');
    expect(read.length, JSON.stringify(turnRequests(server.requests).at(-1)?.messages.at(-1))).toBeGreaterThan(0);
    expect(read.every((b) => b.is_error !== true)).toBe(true);
    // The body's `$0` became `now`; the file's did not (the compiler keeps `$N` out of reference parts).
    expect(JSON.stringify(read[0]!.content)).toContain('ARG0=[$0] ARGS=[$ARGUMENTS]');
  });

  it('a plugin skill is /PLUGIN:NAME (the bare /NAME reaches it too); ${CLAUDE_PLUGIN_ROOT} is substituted in its body and allowed-tools', async () => {
    const pluginDir = path.join(box.root, 'plugin');
    const inst = await installPlugin(pluginDir, box.home, box.project);
    expect(inst.install.exitCode, inst.install.stdout + inst.install.stderr).toBe(0);
    for (const prompt of ['/pk:plug-skill word', '/plug-skill word']) {
      server.requests.length = 0;
      const rendered = (t: string) => /node (\S+\/scripts\/helper\.mjs)/.exec(t)?.[1] ?? 'missing-helper-path';
      server.setScript((body) => {
        if ((body.tools?.length ?? 0) === 0) return undefined;
        const cmd = commandTurn(body);
        return body.messages.some((m) => m.role === 'assistant') || !cmd ? undefined : { blocks: [bash(`node ${rendered(cmd.body)} skill word`)] };
      });
      const run = await runClaude(prompt, { cwd: box.project, home: box.home, baseUrl: server.url });
      expect(run.exitCode, run.stderr).toBe(0);
      const first = turnRequests(server.requests)[0]!;
      const cmd = commandTurn(first);
      expect(cmd?.name).toBe('/pk:plug-skill');
      const helper = rendered(cmd!.body);
      // 2.1.197 substitutes the root with a trailing slash (ROOT//scripts), as for plugin commands.
      expect(helper.replace(/\/{2,}/g, '/')).toBe(`${pluginDir}/scripts/helper.mjs`);
      expect(cmd?.body).toContain(`Base directory for this skill: ${pluginDir}/skills/plug-skill\n\nPLUGIN-SKILL ARG0=[word]`);
      expect(skillList(first).get('pk:plug-skill')).toBe('Probe plugin skill: calls the plugin helper');
      const outcomes = bashOutcomes(server.requests);
      expect(outcomes.map((o) => [o.command, o.kind]), describeOutcomes(outcomes)).toEqual([[`node ${helper} skill word`, 'ok']]);
    }
    // Its reference file, outside the project (in the plugin's folder), is readable too.
    server.requests.length = 0;
    server.setScript(batchScript([[{ type: 'tool_use', name: 'Read', input: { file_path: path.join(pluginDir, 'skills/plug-skill/reference.md') } }]]));
    const run = await runClaude('/pk:plug-skill word', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const read = resultsWith('PLUGIN-REFERENCE-CONTENT');
    expect(read.length, JSON.stringify(turnRequests(server.requests).at(-1)?.messages.at(-1))).toBeGreaterThan(0);
    expect(read.every((b) => b.is_error !== true)).toBe(true);
  });
});
