/**
 * The pack suite (test/e2e/pack-*.test.ts): the built pack in the real Claude Code, on every target (`.claude/`
 * commands, `.claude/` skills, the installed plugin with commands, and with skills). For every
 * built command or skill (enumerated from the build output, not a list) the scripted model:
 * - checks that `/NAME ARGS` resolves under the documented name and that the body reaches it with the
 *   arguments substituted as we intend (`$0` = first argument; compared with the built file);
 * - for a skill, reads every reference file its body links (progressive disclosure) with Read from the command's
 *   turn: each read must get the file as built, with no permission denial, and every file beside `SKILL.md`
 *   must be linked;
 * - runs every helper line of the body as a Bash call from the command's own turn, the project state
 *   prepared for each line (the reference files' lines too): each must run without a permission denial and exit 0;
 * - sees the description in the model's skill listing — or, with `disable-model-invocation: true`, sees it
 *   absent from that listing while the user's `/NAME` still runs it;
 * - sees every pack agent offered under the name spawn blocks render (`PLUGIN:name` in the plugin);
 * - spawns each agent (from the first command that names it) and, inside it, runs every helper line of the
 *   agent's prompt the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../stand-in/server.ts';
import { REPO_ROOT, runClaude, wantedClaudeVersion } from '../stand-in/run-claude.ts';
import { PLUGIN_VALIDATE_PROFILE } from '../../../src/definitions/claude-facts.ts';
import { agentTypes, bashOutcomes, commandTurn, describeOutcomes, isSubagentRequest, skillList, turnRequests } from './inspect.ts';
import { installPlugin, validatePlugin } from './plugin.ts';
import { argVariants, expandBody, rawArgs } from './args.ts';
import { driveCommand, missingArgumentLines, readResultText, referenceLinks, referenceText } from './drive.ts';
import { collapseRoot, extractHelperLines, helperVerb } from './helper-lines.ts';
import { SESSION_ID } from './state.ts';
import { mentionedAgents, prepareTarget, spawnTypes, type TargetEnv } from './target-env.ts';
import { isPluginTarget, isSkillsTarget, type BuiltAgent, type BuiltCommand, type Target } from './pack.ts';

const PACK_DOC = path.join(REPO_ROOT, 'docs/pack.md');

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What a command's model can read: its body (`${CLAUDE_PLUGIN_ROOT}` as `root`) and its reference files with
 * `<PLUGIN_ROOT>` as `root` (the value the link gives, src/compiler/target.ts), before argument substitution.
 */
function promptText(cmd: BuiltCommand, root: string): string {
  const refs = cmd.references.map((r) => r.text.split('<PLUGIN_ROOT>').join(root));
  return [cmd.body, ...refs].join('\n').split('${CLAUDE_PLUGIN_ROOT}').join(root);
}

/**
 * Assigns each agent to the first command whose body (or reference file) names it. Agents no body names are the ones `next`
 * hands out (it resolves `subagent_type` itself, docs/contracts.md §6): they go to the first command that runs
 * the dispatcher (a `next` helper line), since they are spawned in such a command's turn and get its approval.
 * Any left after that are spawned from a plain prompt.
 */
function assignAgents(env: TargetEnv): { byCommand: Map<string, string[]>; orphans: BuiltAgent[] } {
  const byCommand = new Map<string, string[]>();
  const done = new Set<string>();
  const bodies = env.commands.map((cmd) => ({ cmd, body: promptText(cmd, env.root) }));
  for (const { cmd, body } of bodies) {
    const names = [...new Set([...spawnTypes(body), ...mentionedAgents(body, env.agents)])].filter((n) => !done.has(n));
    names.forEach((n) => done.add(n));
    byCommand.set(cmd.name, names);
  }
  const dispatcher = bodies.find(({ body }) => extractHelperLines(body, env.prefix).some((l) => helperVerb(l, env.prefix) === 'next'));
  if (dispatcher) {
    const handedOut = env.agents.filter((a) => !done.has(a.spawnName)).map((a) => a.spawnName);
    handedOut.forEach((n) => done.add(n));
    byCommand.set(dispatcher.cmd.name, [...(byCommand.get(dispatcher.cmd.name) ?? []), ...handedOut]);
  }
  return { byCommand, orphans: env.agents.filter((a) => !done.has(a.spawnName)) };
}

/**
 * What Claude Code puts before a skill's body (seen on 2.1.329 and 2.1.197): `Base directory for this skill: DIR`
 * and a blank line. Returns the folder and the body after it (`dir` undefined when there is none).
 */
function splitSkillBase(body: string): { dir: string | undefined; body: string } {
  const m = /^Base directory for this skill: ([^\n]*)\n\n/.exec(body);
  return m ? { dir: m[1], body: body.slice(m[0].length) } : { dir: undefined, body };
}

/** `/ns:name` for a definition path `commands/ns/name.md` (the name the docs use for a command of the pack). */
function commandNameOf(source: string): string {
  return `/${source.replace(/^commands\//, '').replace(/\.md$/, '').split('/').join(':')}`;
}

/** Defines the suite for one target (called by the pack-*.test.ts files, which run in parallel workers). */
export function definePackSuite(target: Target): void {
  describe(`pack on target ${target}`, { timeout: 300_000 }, () => {
    const env = prepareTarget(target);
    const { byCommand, orphans } = assignAgents(env);
    let server: StandIn & { errors: Error[] };

    beforeAll(async () => {
      server = await startStandIn();
      if (isPluginTarget(target) && !env.buildError) {
        const inst = await installPlugin(env.root, env.box.home, env.box.project);
        if (inst.add.exitCode !== 0 || inst.install.exitCode !== 0) {
          env.buildError = `plugin install failed:\n${inst.add.stdout}${inst.add.stderr}\n${inst.install.stdout}${inst.install.stderr}`;
        }
      }
    });
    afterAll(async () => {
      await server?.close();
      env.box.cleanup();
    });

    it('builds the pack and installs it', () => {
      expect(env.buildError).toBeUndefined();
      expect(env.commands.length).toBeGreaterThan(0);
      expect(env.agents.length).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(env.root, 'scripts/orchestrate.mjs'))).toBe(true);
    });

    if (isPluginTarget(target)) {
      // 2.1.197 has no `--profile` (PLUGIN_VALIDATE_PROFILE): it validates with `--strict` alone.
      const version = wantedClaudeVersion();
      const flags = ['--strict', ...(PLUGIN_VALIDATE_PROFILE[version] === false ? [] : ['--profile', 'directory'])];
      it(`passes \`claude plugin validate ${flags.join(' ')}\``, async () => {
        expect(env.buildError).toBeUndefined();
        const r = await validatePlugin(env.root, env.box.home, flags);
        expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      });
    }

    for (const cmd of env.commands) {
      it(`${cmd.name}: resolves, substitutes arguments, runs every helper line${(byCommand.get(cmd.name) ?? []).length ? ` and inside ${(byCommand.get(cmd.name) ?? []).join(', ')}` : ''}`, async () => {
        const spawns = byCommand.get(cmd.name) ?? [];
        const values = { plan: env.state.planFile, ticket: env.state.firstReadyTicket(), sessionId: SESSION_ID };
        const variants = argVariants(cmd.frontmatter['argument-hint'], values);
        // Also without the optional arguments, as a user may type it: the body must still reach the model as we
        // expect (2.1.329 leaves a missing `$N` as written; the pack's prose tells the model what to do then),
        // and no helper line may be denied.
        const complete = variants.length;
        for (const required of argVariants(cmd.frontmatter['argument-hint'], values, true)) {
          if (!variants.some((a) => a.join(' ') === required.join(' '))) variants.push(required);
        }
        // Helper lines by their index in the body: ok in at least one variant (a body may offer alternatives,
        // e.g. "plan file: validate/init; session id: status --id"); agent lines: ok, always.
        const lineVerdicts: Array<{ written: string; outcome: string }[]> = [];
        for (const [v, args] of variants.entries()) {
          const verdicts = await runVariant(args, v === 0 ? spawns : [], v < complete);
          verdicts.forEach((x, i) => (lineVerdicts[i] ??= []).push(x));
        }
        const failing = lineVerdicts.filter((vs) => !vs.some((x) => x.outcome === 'ok 0'));
        const report = failing.map((vs) => vs.map((x) => `${x.written} → ${x.outcome}`).join('\n   or: ')).join('\n');
        expect(report, 'helper lines of the command body that did not run with exit 0').toBe('');
      });

      /**
       * One run of the command with `args` (`allArguments`: every positional argument of the hint given); asserts
       * everything but the command's own helper-line exits, which it returns by line index.
       */
      async function runVariant(args: string[], spawns: string[], allArguments: boolean): Promise<Array<{ written: string; outcome: string }>> {
        env.state.fresh();
        server.requests.length = 0;
        const { script, log } = driveCommand(env.state, env.prefix, spawns, allArguments ? new Set() : missingArgumentLines(cmd.body, args, env.root, env.prefix));
        server.setScript(script);
        const prompt = `${cmd.name}${args.length ? ` ${rawArgs(args)}` : ''}`;
        const run = await runClaude(prompt, { cwd: env.box.project, home: env.box.home, baseUrl: server.url });
        expect(run.exitCode, run.stderr + run.stdout.slice(0, 2000)).toBe(0);
        expect(server.errors).toEqual([]);
        expect(log.errors).toEqual([]);

        // Resolves under the documented name, body and arguments as we intend.
        const main = turnRequests(server.requests).filter((b) => !isSubagentRequest(b));
        const turn = commandTurn(main[0]!);
        expect(turn?.name, `"${prompt}" did not reach the model as a command`).toBe(cmd.name);
        expect(turn?.args).toBe(rawArgs(args));
        // A skill's body comes after `Base directory for this skill: DIR` (its own folder).
        const shown = isSkillsTarget(target) ? splitSkillBase(turn!.body) : { dir: undefined, body: turn!.body };
        if (isSkillsTarget(target)) expect(shown.dir?.replace(/\/{2,}/g, '/'), 'the skill folder Claude Code names').toBe(path.dirname(cmd.file));
        // 2.1.197 substitutes the plugin root with a trailing slash (docs/e2e.md): `ROOT//scripts`, and in a
        // reference link `` `<PLUGIN_ROOT>` is `ROOT/` `` (filled in, it gives the same `ROOT//scripts` as the rule).
        const received = collapseRoot(shown.body).split(`\`${env.root}/\``).join(`\`${env.root}\``);
        expect(received.trimEnd()).toBe(expandBody(cmd.body, args, isPluginTarget(target) ? env.root : undefined).trimEnd());
        if (allArguments) expect(turn!.body, 'an argument placeholder reached the model').not.toMatch(/\$ARGUMENTS|\$\d/);
        // The Skill tool lists `name: description` with `<`, `>`, `&` escaped (seen on 2.1.329); a command or skill
        // with `disable-model-invocation: true` is not listed (the model cannot start it) yet ran above when typed.
        const listed = skillList(main[0]!).get(cmd.name.slice(1));
        if (cmd.frontmatter['disable-model-invocation'] === true) expect(listed, 'disable-model-invocation: absent from the model\'s listing').toBeUndefined();
        else expect(listed, 'the description offered through the Skill tool').toBe(escapeXml(String(cmd.frontmatter.description)));
        if (fs.existsSync(PACK_DOC)) expect(fs.readFileSync(PACK_DOC, 'utf8'), `docs/pack.md documents ${cmd.source}`).toContain(commandNameOf(cmd.source));

        // A skill's reference files: every file beside SKILL.md is linked, and the model's Read of each (from the
        // command's turn) got the file as built, without a permission denial (a plugin skill's folder is outside
        // the project: its `Read(…)` rule must cover it).
        const links = referenceLinks(shown.body);
        expect(links.map((l) => l.file).sort(), 'reference files linked from the body = files beside SKILL.md').toEqual(cmd.references.map((r) => r.name));
        const read: string[] = [];
        for (const r of log.references) {
          const text = r.result ? readResultText(r.result) : '';
          expect(r.result, `no result for Read ${r.path}`).toBeDefined();
          expect(r.result!.is_error ?? false, `Read ${r.path} refused: ${text.slice(0, 300)}`).toBe(false);
          expect(text.trimEnd(), `Read ${r.path} returned the file as built`).toBe(cmd.references.find((b) => b.name === r.link.file)?.text.trimEnd());
          read.push(referenceText(text, r.link));
          // The client substitutes nothing in a file read with Read: a variable left there reaches Bash as written.
          expect(read.at(-1), `${r.path}: an unsubstituted variable, as the model reads it`).not.toMatch(/\$\{[A-Z_]+\}|\$\d|\$ARGUMENTS|<PLUGIN_ROOT>/);
        }

        // Every agent is offered under the name spawn blocks render.
        const types = agentTypes(main[0]!);
        for (const a of env.agents) expect(types.has(a.spawnName), `agent ${a.spawnName} offered; offered: ${[...types.keys()].join(', ')}`).toBe(true);
        for (const name of [...spawnTypes([turn!.body, ...read].join('\n')), ...mentionedAgents([turn!.body, ...read].join('\n'), env.agents)]) {
          expect(types.has(name), `${cmd.name} spawns \`${name}\`, which is not offered; offered: ${[...types.keys()].join(', ')}`).toBe(true);
        }

        // Every helper line was issued as a Bash call, from the command's turn and inside each spawned agent.
        const outcomes = bashOutcomes(server.requests);
        const summary = describeOutcomes(outcomes);
        expect(log.issued.filter((l) => l.from === 'command').map((l) => l.written)).toEqual(log.commandLines);
        // The body's lines, then those of its reference files (as the model read them, `<PLUGIN_ROOT>` filled).
        const fromRefs = cmd.references.flatMap((r) => extractHelperLines(r.text.split('<PLUGIN_ROOT>').join(env.root), env.prefix));
        const expected = [...new Set([...extractHelperLines(expandBody(cmd.body, args, env.root), env.prefix), ...fromRefs])];
        expect([...log.commandLines, ...log.skipped].map(collapseRoot).sort()).toEqual([...expected].sort());
        if (allArguments) expect(log.skipped).toEqual([]);
        expect(log.spawned).toEqual(spawns);
        for (const name of spawns) {
          const def = env.agents.find((a) => a.spawnName === name);
          expect(def, `${cmd.name} spawns \`${name}\` but no built agent has that name`).toBeDefined();
          expect(log.agentLines.get(name)?.map(collapseRoot), `${name} was spawned and its prompt received`).toEqual(extractHelperLines(expandBody(def!.body, [], env.root), env.prefix));
        }
        expect(outcomes.length, summary).toBe(log.issued.length);
        const verdicts: Array<{ written: string; outcome: string }> = [];
        for (const [i, line] of log.issued.entries()) {
          const o = outcomes[i]!;
          expect(o.command).toBe(line.run);
          expect(o.fromSubagent).toBe(line.from !== 'command');
          // No permission denial, ever; agent lines must exit 0 too.
          expect(o.kind, `${line.from}: ${line.run}\n${summary}`).not.toBe('denied');
          if (line.from !== 'command') expect([o.kind, o.exitCode], `${line.from}: ${line.run}\n${summary}`).toEqual(['ok', 0]);
          else verdicts[expected.findIndex((e) => e === collapseRoot(line.written))] = { written: line.run, outcome: `${o.kind} ${o.exitCode ?? ''}${o.kind === 'ok' ? '' : `: ${o.output.slice(0, 300)}`}` };
        }
        // By index in the body's helper lines; a line left out (argument not given) must pass in another run.
        return expected.map((e, i) => verdicts[i] ?? { written: e, outcome: 'not run: argument not given' });
      }
    }

    if (orphans.length) {
      it(`agents no command names (${orphans.map((a) => a.spawnName).join(', ')}): spawnable and every helper line runs`, async () => {
        env.state.fresh();
        server.requests.length = 0;
        const { script, log } = driveCommand(env.state, env.prefix, orphans.map((a) => a.spawnName));
        server.setScript(script);
        const run = await runClaude('Run the agents.', { cwd: env.box.project, home: env.box.home, baseUrl: server.url });
        expect(run.exitCode, run.stderr).toBe(0);
        expect(log.errors).toEqual([]);
        const outcomes = bashOutcomes(server.requests);
        const summary = describeOutcomes(outcomes);
        for (const a of orphans) expect(log.agentLines.get(a.spawnName)?.map(collapseRoot)).toEqual(extractHelperLines(expandBody(a.body, [], env.root), env.prefix));
        expect(outcomes.length, summary).toBe(log.issued.length);
        for (const o of outcomes) expect([o.kind, o.exitCode], `${o.command}\n${summary}`).toEqual(['ok', 0]);
      });
    }
  });
}
