/**
 * A full run in the real Claude Code: `/execute-parallel-plan plan.yaml` (target `.claude/`) and
 * `/build-commands:orchestrate:execute plan.yaml` (the installed plugin), and `/execute-parallel-plan plan.yaml`
 * as a skill (`--target skills`) on the 13-ticket example plan. The
 * scripted model follows the command body: validate, init, activate, then waves of parallel claims and
 * parallel agents (one Agent call per claimed ticket, all in one message) that heartbeat and complete
 * through the helper, until the session reaches 100%; then `report`. Proves: no permission denial and exit
 * 0 for every helper call from the command and from every agent; the session completed at 100%; the event
 * log and `report` agree with each other and with what the agents did.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startStandIn, type StandIn } from './stand-in/server.ts';
import { runClaude } from './stand-in/run-claude.ts';
import { bashOutcomes, describeOutcomes, isSubagentRequest, turnRequests } from './lib/inspect.ts';
import { fullRunModel } from './lib/full-run.ts';
import { installPlugin } from './lib/plugin.ts';
import { prepareTarget, type TargetEnv } from './lib/target-env.ts';
import { isPluginTarget } from './lib/pack.ts';

interface LogEvent {
  seq: number;
  verb: string;
  agent: string | null;
  ticket: string | null;
  before?: string;
  after?: string;
  data?: { evidence?: { commits?: string[] } };
}

const RUNS = [
  { target: 'claude' as const, command: 'execute-parallel-plan' },
  { target: 'plugin' as const, command: 'orchestrate:execute' },
  { target: 'skills' as const, command: 'execute-parallel-plan' },
];

for (const { target, command } of RUNS) {
  describe(`full run on target ${target}`, { timeout: 300_000 }, () => {
    let env: TargetEnv;
    let server: StandIn & { errors: Error[] };
    beforeAll(async () => {
      env = prepareTarget(target);
      server = await startStandIn();
      if (isPluginTarget(target) && !env.buildError) {
        const inst = await installPlugin(env.root, env.box.home, env.box.project);
        if (inst.install.exitCode !== 0) env.buildError = `plugin install failed: ${inst.install.stdout}${inst.install.stderr}`;
      }
    });
    afterAll(async () => {
      await server?.close();
      env?.box.cleanup();
    });

    it(`${isPluginTarget(target) ? '/build-commands:' : '/'}${command} plan.yaml runs the 13 tickets to 100% with parallel agents`, async () => {
      expect(env.buildError).toBeUndefined();
      const name = `/${env.plugin ? `${env.plugin}:` : ''}${command}`;
      expect(env.commands.map((c) => c.name)).toContain(name);
      const plan = parseYaml(fs.readFileSync(path.join(env.box.project, 'plan.yaml'), 'utf8')) as { agents: number; tickets: Array<{ id: string }> };
      expect(plan.tickets).toHaveLength(13);

      const { script, log } = fullRunModel(env.box.project, env.prefix, plan.agents, env.agents.map((a) => a.spawnName));
      server.setScript(script);
      const run = await runClaude(`${name} plan.yaml`, { cwd: env.box.project, home: env.box.home, baseUrl: server.url, timeoutMs: 280_000 });
      if (process.env.E2E_DUMP) fs.writeFileSync(path.join(process.env.E2E_DUMP, `full-run-${target}.json`), JSON.stringify({ requests: server.requests, result: run.json }, null, 1));
      expect(run.exitCode, run.stderr + run.stdout.slice(0, 1000)).toBe(0);
      expect(server.errors).toEqual([]);
      expect(log.errors).toEqual([]);
      expect(log.done, 'the run reached the report').toBe(true);

      // Every helper call, from the command and from each agent: no permission denial, exit 0.
      const outcomes = bashOutcomes(server.requests);
      const summary = describeOutcomes(outcomes.filter((o) => o.kind !== 'ok'));
      expect(outcomes.filter((o) => o.kind !== 'ok'), summary).toEqual([]);
      expect(outcomes.filter((o) => o.fromSubagent).length).toBeGreaterThanOrEqual(2 * 13);
      expect(run.json?.permission_denials ?? []).toEqual([]);

      // Every spawn was accepted (the agent type exists under the name the body gives).
      const agentResults = turnRequests(server.requests)
        .flatMap((b) => b.messages)
        .flatMap((m) => (typeof m.content === 'string' ? [] : m.content))
        .filter((c) => c.type === 'tool_result' && c.tool_use_id?.startsWith('toolu_full_') && c.is_error);
      expect(agentResults.map((c) => JSON.stringify(c.content).slice(0, 300)), 'tool calls that failed').toEqual([]);

      // Agents ran in parallel waves: some wave spawned several agents in one message.
      expect(Math.max(...log.waves.map((w) => w.claimed.length))).toBeGreaterThan(1);
      const spawnMessages = turnRequests(server.requests)
        .filter((b) => !isSubagentRequest(b))
        .flatMap((b) => b.messages.filter((m) => m.role === 'assistant' && typeof m.content !== 'string'))
        .map((m) => (m.content as Array<{ type: string; name?: string }>).filter((c) => c.type === 'tool_use' && c.name === 'Agent').length);
      expect(Math.max(...spawnMessages)).toBeGreaterThan(1);
      const subagentSystems = new Set(turnRequests(server.requests).filter(isSubagentRequest).map((b) => JSON.stringify(b.system)));
      expect(subagentSystems.size).toBeGreaterThanOrEqual(1);

      // The session completed at 100%.
      const status = JSON.parse(env.state.must(['status', '--json'])) as { status: string; progress: { percentage: number; completed: number; total: number }; tickets: Array<{ id: string; status: string; agent: string }> };
      expect(status.status).toBe('completed');
      expect(status.progress).toMatchObject({ percentage: 100, completed: 13, total: 13 });
      expect(status.tickets.map((t) => t.id).sort()).toEqual(plan.tickets.map((t) => t.id).sort());
      for (const t of status.tickets) {
        expect(t.status).toBe('completed');
        expect(t.agent, `${t.id} owner`).toBe(log.tickets.get(t.id)?.agent);
      }

      // The event log agrees: each ticket claimed then completed once, by the agent it was given to, with its commit.
      const logsDir = path.join(env.box.project, '.orchestration/logs');
      const logFiles = fs.readdirSync(logsDir).filter((f) => f.endsWith('.jsonl'));
      expect(logFiles).toHaveLength(1);
      const events = fs.readFileSync(path.join(logsDir, logFiles[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEvent);
      expect(events.map((e) => e.seq)).toEqual(events.map((_e, i) => events[0]!.seq + i));
      for (const t of plan.tickets) {
        const mine = events.filter((e) => e.ticket === t.id);
        const completes = mine.filter((e) => e.verb === 'complete');
        expect(completes, `${t.id} completed once`).toHaveLength(1);
        const claim = mine.find((e) => e.verb === 'claim');
        expect(claim, `${t.id} claimed`).toBeDefined();
        expect(claim!.seq).toBeLessThan(completes[0]!.seq);
        expect(completes[0]!.agent).toBe(log.tickets.get(t.id)?.agent);
        expect(completes[0]!.data?.evidence?.commits).toEqual([log.tickets.get(t.id)?.sha]);
      }

      // `report` agrees with the log and the status.
      expect(log.reportOutput ?? '').not.toBe('');
      const report = JSON.parse(env.state.must(['report', '--format', 'json'])) as { session: { status: string }; tickets: { total: number; completed: number; failed: number; percentage: number } };
      expect(report.session.status).toBe('completed');
      expect(report.tickets).toMatchObject({ total: 13, completed: 13, failed: 0, percentage: 100 });
      expect(report.tickets.completed).toBe(events.filter((e) => e.verb === 'complete').length);
    });
  });
}
