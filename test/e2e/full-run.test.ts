/**
 * A full run in the real Claude Code, on three targets: `/execute-parallel-plan plan.yaml --validation
 * comprehensive` (`.claude/` commands, and `.claude/` skills: `--target skills`) and
 * `/build-commands:execute-parallel-plan …` (the installed plugin) on the
 * 13-ticket example plan. The scripted model follows the runner body's dispatcher loop literally
 * (lib/full-run.ts: `init`, `activate`, then `next --wait` and exactly its actions); agents heartbeat, commit
 * their ticket's files and complete through their own bodies' helper lines; one ticket fails once and is
 * retried by `next`; another's first agent returns without a result and `next` hands it out again; one review
 * rejects once and the ticket is reworked. Proves: every helper call (command and
 * agents) ran with exit 0 and no permission denial in one command turn; every spawn was accepted, in the
 * background, several in one message; the session completed; the event log and `report --format json` agree
 * with what the agents did, and the report lists the second attempt and the rework.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startStandIn, type StandIn } from './stand-in/server.ts';
import { runClaude } from './stand-in/run-claude.ts';
import { bashOutcomes, describeOutcomes, isSubagentRequest, turnRequests } from './lib/inspect.ts';
import { FAIL_REASON, REJECT_REASON, fullRunModel } from './lib/full-run.ts';
import { installPlugin } from './lib/plugin.ts';
import { prepareTarget, type TargetEnv } from './lib/target-env.ts';
import { isPluginTarget } from './lib/pack.ts';

interface LogEvent {
  seq: number;
  verb: string;
  agent: string | null;
  ticket: string | null;
  before?: string | null;
  after?: string | null;
  data?: { evidence?: { commits?: string[] }; auto?: boolean };
}

// DOC-001's first attempt runs `fail`; `next` retries it. PERF-001's first agent returns without a result;
// `next --returned WORKER:TICKET:ATTEMPT` releases that attempt and hands the ticket out again.
const FAIL_ONCE = 'DOC-001';
const RETURN_ONCE = 'PERF-001';
const REJECT_ONCE = 'MOD-003';

for (const target of ['claude', 'plugin', 'skills'] as const) {
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

    it(`${isPluginTarget(target) ? '/build-commands:' : '/'}execute-parallel-plan plan.yaml --validation comprehensive: 13 tickets through next, a retry, a returned agent re-run and a rework, completed`, async () => {
      expect(env.buildError).toBeUndefined();
      const name = `/${env.plugin ? `${env.plugin}:` : ''}execute-parallel-plan`;
      expect(env.commands.map((c) => c.name)).toContain(name);
      const plan = parseYaml(fs.readFileSync(path.join(env.box.project, 'plan.yaml'), 'utf8')) as { tickets: Array<{ id: string; files?: string[] }> };
      expect(plan.tickets).toHaveLength(13);

      const { script, coordinator, workers } = fullRunModel(env.box.project, {
        prefix: env.prefix,
        validation: 'comprehensive',
        failOnce: FAIL_ONCE,
        returnOnce: RETURN_ONCE,
        rejectOnce: REJECT_ONCE,
        files: new Map(plan.tickets.map((t) => [t.id, t.files ?? []])),
      });
      server.setScript(script);
      const run = await runClaude(`${name} plan.yaml --validation comprehensive`, { cwd: env.box.project, home: env.box.home, baseUrl: server.url, timeoutMs: 280_000 });
      if (process.env.E2E_DUMP) fs.writeFileSync(path.join(process.env.E2E_DUMP, `full-run-${target}.json`), JSON.stringify({ requests: server.requests, result: run.json }, null, 1));
      expect(run.exitCode, run.stderr + run.stdout.slice(0, 1000)).toBe(0);
      expect(server.errors).toEqual([]);
      expect([...coordinator.errors, ...workers.errors]).toEqual([]);
      expect(coordinator.final, 'the run ended with a report action').toEqual({ do: 'report', status: 'completed' });
      expect(coordinator.done, 'the run reached the report').toBe(true);

      // Every helper call, from the command and from each agent: no permission denial, exit 0 — all in the
      // command's one turn (the body keeps its turn going with `next --wait`).
      const outcomes = bashOutcomes(server.requests);
      const bad = outcomes.filter((o) => o.kind !== 'ok');
      expect(bad, describeOutcomes(bad)).toEqual([]);
      expect(outcomes.filter((o) => o.fromSubagent).length).toBeGreaterThanOrEqual(2 * 13);
      expect(run.json?.permission_denials ?? []).toEqual([]);
      expect(coordinator.turnStarts, 'turns the coordinator started').toHaveLength(1);

      // Every spawn accepted, in the background, several in one message.
      const mainMessages = turnRequests(server.requests)
        .filter((b) => !isSubagentRequest(b))
        .flatMap((b) => b.messages);
      const agentCalls = mainMessages.flatMap((m) => (m.role === 'assistant' && typeof m.content !== 'string' ? m.content.filter((c) => c.type === 'tool_use' && c.name === 'Agent') : []));
      const calls = new Map(agentCalls.map((c) => [c.id, c.input as { run_in_background?: boolean; subagent_type: string }]));
      expect([...calls.values()].every((c) => c.run_in_background === true), 'every spawn has run_in_background: true').toBe(true);
      const failed = mainMessages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content)).filter((c) => c.type === 'tool_result' && c.tool_use_id && calls.has(c.tool_use_id) && c.is_error);
      expect(failed.map((c) => JSON.stringify(c.content).slice(0, 300)), 'Agent calls refused').toEqual([]);
      const perMessage = mainMessages.filter((m) => m.role === 'assistant' && typeof m.content !== 'string').map((m) => (m.content as Array<{ type: string; name?: string }>).filter((c) => c.type === 'tool_use' && c.name === 'Agent').length);
      expect(Math.max(...perMessage)).toBeGreaterThan(1);
      expect(new Set([...calls.values()].map((c) => c.subagent_type))).toEqual(new Set([`${env.plugin ? `${env.plugin}:` : ''}implementation-agent`, `${env.plugin ? `${env.plugin}:` : ''}test-developer`, `${env.plugin ? `${env.plugin}:` : ''}code-reviewer`]));

      // What the agents did: one failed attempt and a retry; one rejected review and a rework; every ticket approved.
      expect(workers.attempts.get(FAIL_ONCE)?.map((a) => a.outcome)).toEqual(['failed', 'completed']);
      expect(workers.attempts.get(RETURN_ONCE)?.map((a) => a.outcome)).toEqual(['returned', 'completed']);
      expect(workers.attempts.get(REJECT_ONCE)?.map((a) => a.outcome)).toEqual(['completed', 'completed']);
      expect(workers.reviews.get(REJECT_ONCE)?.map((r) => r.verdict)).toEqual(['rejected', 'approved']);
      for (const t of plan.tickets) expect(workers.reviews.get(t.id)?.at(-1)?.verdict, `${t.id} approved`).toBe('approved');

      // The session completed; each ticket belongs to the worker of its last attempt.
      const status = JSON.parse(env.state.must(['status', '--id', coordinator.session, '--json'])) as { status: string; progress: { percentage: number; completed: number; total: number }; tickets: Array<{ id: string; status: string; agent: string }> };
      expect(status.status).toBe('completed');
      expect(status.progress).toMatchObject({ percentage: 100, completed: 13, total: 13 });
      for (const t of status.tickets) {
        expect(t.status).toBe('completed');
        expect(t.agent, `${t.id} owner`).toBe(workers.attempts.get(t.id)?.at(-1)?.worker);
      }

      // The event log agrees: per ticket, claims before completes, the last complete by its worker with its
      // commit, an approval after it; the retry and the rework recorded.
      const logsDir = path.join(env.box.project, '.orchestration/logs');
      const logFiles = fs.readdirSync(logsDir).filter((f) => f.endsWith('.jsonl'));
      expect(logFiles).toHaveLength(1);
      const events = fs.readFileSync(path.join(logsDir, logFiles[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEvent);
      expect(events.map((e) => e.seq)).toEqual(events.map((_e, i) => events[0]!.seq + i));
      for (const t of plan.tickets) {
        const mine = events.filter((e) => e.ticket === t.id);
        const attempts = workers.attempts.get(t.id)!;
        const completes = mine.filter((e) => e.verb === 'complete');
        expect(completes, `${t.id} completes`).toHaveLength(attempts.filter((a) => a.outcome === 'completed').length);
        expect(mine.filter((e) => e.verb === 'returned'), `${t.id} released as returned`).toHaveLength(attempts.filter((a) => a.outcome === 'returned').length);
        const claims = mine.filter((e) => e.verb === 'claim');
        expect(claims, `${t.id} claims`).toHaveLength(attempts.length);
        expect(claims[0]!.seq).toBeLessThan(completes[0]!.seq);
        const last = completes.at(-1)!;
        expect(last.agent).toBe(attempts.at(-1)!.worker);
        expect(last.data?.evidence?.commits).toEqual([attempts.at(-1)!.sha]);
        const approve = mine.find((e) => e.verb === 'approve');
        expect(approve, `${t.id} approved`).toBeDefined();
        expect(approve!.seq).toBeGreaterThan(last.seq);
      }
      expect(events.filter((e) => e.ticket === FAIL_ONCE).map((e) => e.verb)).toEqual(expect.arrayContaining(['fail', 'retry']));
      const returnOnce = events.filter((e) => e.ticket === RETURN_ONCE).map((e) => e.verb);
      expect(returnOnce.indexOf('returned')).toBeGreaterThan(returnOnce.indexOf('claim'));
      expect(returnOnce.lastIndexOf('claim')).toBeGreaterThan(returnOnce.indexOf('returned'));
      expect(events.filter((e) => e.ticket === REJECT_ONCE).map((e) => e.verb)).toEqual(expect.arrayContaining(['reject', 'approve']));

      // `report` agrees and lists the retry and the rework.
      expect(coordinator.reportOutput ?? '').not.toBe('');
      const report = JSON.parse(env.state.must(['report', '--id', coordinator.session, '--format', 'json'])) as {
        session: { status: string };
        tickets: { total: number; completed: number; failed: number; percentage: number };
        retries: number;
        history: { retries: Array<{ ticket: string; reason: string }>; returned: Array<{ ticket: string }>; rework: Array<{ ticket: string; reason: string }> };
      };
      expect(report.session.status).toBe('completed');
      expect(report.tickets).toMatchObject({ total: 13, completed: 13, failed: 0, percentage: 100 });
      // Three attempts beyond the first: DOC-001 after its failure, PERF-001 after its agent returned, MOD-003 after the rejection.
      expect(report.retries).toBe(3);
      expect(report.history.retries).toEqual([expect.objectContaining({ ticket: FAIL_ONCE, reason: FAIL_REASON })]);
      expect(report.history.returned).toEqual([expect.objectContaining({ ticket: RETURN_ONCE })]);
      expect(report.history.rework).toEqual([expect.objectContaining({ ticket: REJECT_ONCE, reason: REJECT_REASON })]);
    });
  });
}
