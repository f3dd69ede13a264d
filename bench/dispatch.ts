/**
 * Dispatcher benchmark in the real Claude Code (prints one table, asserts nothing):
 *
 *   npx tsx bench/dispatch.ts [--plans example,r2,r4] [--targets claude,plugin] [--loops next,waves]
 *                             [--scale 10] [--jobs 2] [--allow-helper] [--list]
 *
 * For each plan and target (`.claude/` built into a temporary project, or the plugin built, added as a local
 * marketplace and installed into a temporary HOME — the e2e suite's own setup, test/e2e/lib/target-env.ts)
 * it runs `/execute-parallel-plan plan.yaml` (plugin: `/build-commands:execute-parallel-plan`) in the real CLI
 * against the loopback stand-in model, once per loop:
 * - `next`: the literal coordinator (test/e2e/lib/coordinator.ts) — the body's `init`, `activate`, then `next`
 *   and exactly its actions, `--returned W` for every agent that comes back;
 * - `waves`: the old loop — one `claim` per worker, the wave spawned in the foreground, wait for ALL, claim
 *   again (same helper, same client).
 * Stand-in agents "work" a ticket with `sleep` for its estimate scaled (`--scale S`: 1 h of estimate = S
 * seconds), then run their body's `complete` line (test/e2e/lib/workers.ts).
 *
 * Columns: makespan (first `next`/`claim` to the run's end, wall clock, coordinator and client overhead
 * included) ÷ the lower bound of `schedule --json` (scaled); turns the coordinator started (the command, each
 * notification turn) per ticket; characters of helper output the coordinator read per ticket and ÷ 4 as
 * tokens; and the client's cost per step: an agent's helper call (its reply → the result back: the client
 * plus one helper process), a spawn (the Agent call → the agent's first request), an agent's overhead beyond
 * its sleep (first request → last), and a worker's idle gap (its agent's last request → the next spawn on that
 * worker: the hand-off under `next`, the barrier under waves).
 *
 * Plans: `example` = examples/execution-plan.yaml (13 tickets); `rN` = a seeded random plan (seed N: 30–60
 * tickets, 3–6 agents, estimates 30 min–4 h, 0–2 dependencies on recent tickets, 20 % share a file,
 * strategy maximum).
 *
 * Permissions: the stand-in agents' `sleep` needs an allow rule (`Bash(sleep:*)`, written into the temporary
 * HOME's settings). The helper needs none: a command's `allowed-tools` last for its own turn (docs/e2e.md,
 * "Agent runs"), and both loops keep that turn going (`next --wait`; foreground waves). `--allow-helper` adds
 * `Bash(<helper>:*)` to the same user settings anyway, for a runner body that ends its turn on `wait`.
 *
 * Everything happens in temporary folders (removed at the end); the checkout is left as it was. Needs the
 * bundle (`node scripts/bundle.mjs`) and, for another client, `CLAUDE_CODE_E2E_VERSION` (docs/e2e.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { parse as yamlParse, stringify as toYaml } from 'yaml';
import { startStandIn, type RecordedRequest } from '../test/e2e/stand-in/server.ts';
import { REPO_ROOT, claudeVersion, runClaude } from '../test/e2e/stand-in/run-claude.ts';
import { bashOutcomes, isSubagentRequest } from '../test/e2e/lib/inspect.ts';
import { installPlugin } from '../test/e2e/lib/plugin.ts';
import { prepareTarget, type TargetEnv } from '../test/e2e/lib/target-env.ts';
import { dispatchCoordinator, waveCoordinator, type CoordinatorLog } from '../test/e2e/lib/coordinator.ts';
import { standInWorkers, type WorkersLog } from '../test/e2e/lib/workers.ts';
import { say } from '../test/e2e/lib/script.ts';
import type { Target } from '../test/e2e/lib/pack.ts';
import { rng } from './rng.ts';


/** A plan file's content (the subset this bench writes). */
interface PlanDoc {
  title: string;
  agents: number;
  strategy: string;
  tickets: Array<{ id: string; title: string; priority: string; estimate: string | number; dependencies: string[]; files: string[]; agent?: string; acceptance: string[] }>;
}

/** The seeded random plan `rN` (see the file comment). */
export function randomPlan(seed: number): PlanDoc {
  const r = rng(seed * 7919 + 17);
  const n = 30 + Math.floor(r() * 31);
  const agents = 3 + Math.floor(r() * 4);
  const shared = Math.max(3, Math.floor(n / 8));
  const priorities = ['critical', 'high', 'medium', 'low'];
  const tickets: PlanDoc['tickets'] = [];
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    const k = i === 0 ? 0 : Math.floor(r() * 3);
    for (let j = 0; j < k; j++) deps.add(`T${String(Math.max(0, i - 1 - Math.floor(r() * Math.max(4, n / 5)))).padStart(2, '0')}`);
    const files = [`src/t${i}.ts`];
    if (r() < 0.2) files.push(`src/shared${Math.floor(r() * shared)}.ts`);
    const minutes = 30 + 15 * Math.floor(r() * r() * 15); // 30 min – 4 h, skewed short
    tickets.push({
      id: `T${String(i).padStart(2, '0')}`,
      title: `Random ticket ${i}`,
      priority: priorities[Math.floor(r() * 4)]!,
      estimate: `${minutes}m`,
      dependencies: [...deps],
      files,
      agent: 'implementation-agent',
      acceptance: [`ticket ${i} done`],
    });
  }
  return { title: `Random plan ${seed}`, agents, strategy: 'maximum', tickets };
}

/** An estimate (`2h`, `90m`, `1.5h`, `45m`, or a number of minutes) in minutes. */
function minutesOf(estimate: string | number): number {
  if (typeof estimate === 'number') return estimate;
  const m = /^([\d.]+)\s*(h|m|min)?$/.exec(estimate.trim());
  if (!m) throw new Error(`bench: estimate ${estimate} not understood`);
  return Number(m[1]) * (m[2] === 'h' ? 60 : 1);
}

/** One measured run. */
interface Row {
  plan: string;
  target: Target;
  loop: string;
  tickets: number;
  workers: number;
  makespan: number;
  lowerBound: number;
  scheduled: number;
  turns: number;
  helperChars: number;
  helperStep: number;
  idle: number;
  spawnLatency: number;
  agentOverhead: number;
  denials: number;
  ok: boolean;
  note: string;
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

interface Job {
  plan: string;
  doc: PlanDoc;
  target: Target;
}

async function runJob(job: Job, loops: string[], scale: number, allowHelper: boolean): Promise<Row[]> {
  const env: TargetEnv = prepareTarget(job.target);
  try {
    if (env.buildError) throw new Error(env.buildError);
    if (job.target === 'plugin') {
      const inst = await installPlugin(env.root, env.box.home, env.box.project);
      if (inst.install.exitCode !== 0) throw new Error(`plugin install failed: ${inst.install.stdout}${inst.install.stderr}`);
    }
    fs.writeFileSync(path.join(env.box.project, 'plan.yaml'), toYaml(job.doc));
    const allow = ['Bash(sleep:*)', ...(allowHelper ? [`Bash(${env.prefix}:*)`] : [])];
    const settingsFile = path.join(env.box.home, '.claude/settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    const settings = fs.existsSync(settingsFile) ? (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
    fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, permissions: { allow } }, null, 1));
    const schedule = JSON.parse(env.state.must(['schedule', '--plan', 'plan.yaml', '--json'])) as { lowerBound: number; makespan: number; agentsUsed: number };
    const estimates = new Map(job.doc.tickets.map((t) => [t.id, minutesOf(t.estimate)]));
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: env.box.project, encoding: 'utf8' }).trim();
    const name = `/${env.plugin ? `${env.plugin}:` : ''}execute-parallel-plan`;
    const impl = env.agents.find((a) => a.name === 'implementation-agent')?.spawnName ?? 'implementation-agent';
    const rows: Row[] = [];
    for (const loop of loops) {
      env.state.reset();
      const coordinator = loop === 'next' ? dispatchCoordinator({ prefix: env.prefix }) : waveCoordinator({ prefix: env.prefix, workers: schedule.agentsUsed, subagentType: impl });
      const workers = standInWorkers(env.prefix, {
        head: () => head,
        // `sleep Ns`, not `sleep N`: Claude Code refuses a Bash call that starts with `sleep N` for N ≥ 25 (claude-facts.ts).
        work: (a) => [`sleep ${((estimates.get(a.ticket) ?? 0) / 60) * scale}s`],
        commit: (a) => ({ sha: head, files: job.doc.tickets.find((t) => t.id === a.ticket)?.files ?? [] }),
      });
      const server = await startStandIn((body, req) => {
        if ((body.tools?.length ?? 0) === 0) return say('bench');
        return isSubagentRequest(body) ? workers.reply(body, req.at) : coordinator.reply(body, req);
      });
      try {
        const run = await runClaude(`${name} plan.yaml`, { cwd: env.box.project, home: env.box.home, baseUrl: server.url, timeoutMs: 3_600_000 });
        if (process.env.BENCH_DEBUG) {
          const dump = path.join(process.env.BENCH_DEBUG, `${job.plan}-${job.target}-${loop}.json`);
          fs.writeFileSync(dump, JSON.stringify({ coordinator: { ...coordinator.log }, workers: { errors: workers.log.errors }, outcomes: bashOutcomes(server.requests).map((o) => [o.kind, o.command, o.output.slice(0, 300)]), main: server.requests.filter((r) => r.body && (r.body.tools?.length ?? 0) > 0 && !isSubagentRequest(r.body)).map((r) => ({ at: r.at, messages: r.body!.messages.slice(3).map((m) => [m.role, typeof m.content === 'string' ? m.content.slice(0, 400) : m.content.map((b) => (b.type === 'tool_use' ? `USE ${b.id} ${JSON.stringify(b.input).slice(0, 150)}` : b.type === 'tool_result' ? `RESULT ${b.tool_use_id} ${JSON.stringify(b.content).slice(0, 150)}` : (b.text ?? '').slice(-400)))]) })).slice(-1), subs: server.requests.filter((r) => r.body && (r.body.tools?.length ?? 0) > 0 && isSubagentRequest(r.body)).map((r) => { const ms = r.body!.messages; const last = ms[ms.length - 1]!; return [r.at, ms.length, /Ticket: (\S+)/.exec(JSON.stringify(ms[0]))?.[1], last.role, JSON.stringify(last.content).slice(0, 200)]; }), run: { exit: run.exitCode, stderr: run.stderr, stdout: run.stdout.slice(0, 2000) } }, null, 1));
        }
        rows.push(measure(job, loop, schedule, scale, coordinator.log, workers.log, server.requests, run.exitCode === 0 && server.errors.length === 0 ? '' : `exit ${run.exitCode} ${run.stderr.slice(0, 200)} ${server.errors.map(String).join(' ')}`));
      } finally {
        await server.close();
      }
    }
    return rows;
  } finally {
    env.box.cleanup();
  }
}

/**
 * Mean gap (ms) between an agent's last request and the coordinator's next spawn on the same worker (a worker
 * idle between two tickets: the client's hand-off under `next`, the barrier under waves).
 */
function idleGap(c: CoordinatorLog, w: WorkersLog): number {
  const spans = [...w.spans.values()];
  return mean(
    c.spawns.flatMap((s) => {
      const before = spans.filter((x) => x.worker === s.worker && x.last <= s.at).map((x) => x.last);
      return before.length ? [s.at - Math.max(...before)] : [];
    }),
  );
}

function measure(job: Job, loop: string, schedule: { lowerBound: number; makespan: number; agentsUsed: number }, scale: number, c: CoordinatorLog, w: WorkersLog, requests: RecordedRequest[], runError: string): Row {
  const tickets = job.doc.tickets.length;
  const outcomes = bashOutcomes(requests);
  const denials = outcomes.filter((o) => o.kind === 'denied').length;
  const spans = [...w.spans.values()];
  const spawnLatency = mean(
    c.spawns.flatMap((s) => {
      const span = [...w.spans.entries()].find(([k]) => k.startsWith(`${s.worker}/${s.ticket}/`))?.[1];
      return span ? [span.first - s.at] : [];
    }),
  );
  const errors = [...c.errors, ...w.errors, runError].filter(Boolean);
  const completed = c.final?.do === 'report' || loop === 'waves' ? c.done : false;
  return {
    plan: job.plan,
    target: job.target,
    loop,
    tickets,
    workers: schedule.agentsUsed,
    makespan: c.runStart !== undefined && c.runEnd !== undefined ? (c.runEnd - c.runStart) / 1000 : NaN,
    lowerBound: (schedule.lowerBound / 60) * scale,
    scheduled: (schedule.makespan / 60) * scale,
    turns: c.turnStarts.length,
    helperChars: c.helperChars,
    helperStep: mean(w.helperRoundTrips) / 1000,
    idle: idleGap(c, w) / 1000,
    spawnLatency: spawnLatency / 1000,
    agentOverhead: mean(spans.map((s) => (s.last - s.first) / 1000 - s.slept)),
    denials,
    ok: completed && errors.length === 0 && denials === 0,
    note: errors.join('; ').slice(0, 160) || (denials ? `${denials} denied` : ''),
  };
}

function table(rows: Row[], scale: number): string {
  const head = ['plan', 'target', 'loop', 'tickets', 'workers', 'makespan s', 'lower bound s', 'ratio', 'sched/LB', 'turns/ticket', 'helper chars/ticket', 'tokens/ticket', 'helper call s', 'spawn s', 'agent overhead s', 'worker idle s', 'ok'];
  const body = rows.map((r) => [
    r.plan,
    r.target,
    r.loop,
    String(r.tickets),
    String(r.workers),
    r.makespan.toFixed(1),
    r.lowerBound.toFixed(1),
    (r.makespan / r.lowerBound).toFixed(3),
    (r.scheduled / r.lowerBound).toFixed(3),
    (r.turns / r.tickets).toFixed(2),
    (r.helperChars / r.tickets).toFixed(0),
    (r.helperChars / r.tickets / 4).toFixed(0),
    r.helperStep.toFixed(2),
    r.spawnLatency.toFixed(2),
    r.agentOverhead.toFixed(2),
    r.idle.toFixed(2),
    r.ok ? 'yes' : `NO ${r.note}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `Claude Code ${claudeVersion()}, scale 1 h = ${scale} s of sleep; makespan from the first next/claim to the run's end (wall clock).`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      plans: { type: 'string', default: 'example,r2,r4' },
      targets: { type: 'string', default: 'claude,plugin' },
      loops: { type: 'string', default: 'next,waves' },
      scale: { type: 'string', default: '10' },
      jobs: { type: 'string', default: '2' },
      'allow-helper': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    },
  });
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number of seconds per hour, got ${values.scale}`);
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('no dist/: run `node scripts/bundle.mjs` first');
  const plans = values.plans!.split(',').map((p) => {
    if (p === 'example') return { plan: p, doc: parseExample() };
    const m = /^r(\d+)$/.exec(p);
    if (!m) throw new Error(`--plans: ${p} is neither \`example\` nor rN`);
    return { plan: p, doc: randomPlan(Number(m[1])) };
  });
  if (values.list) {
    // The plans and their scaled lower bounds, without running Claude Code.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-bench-list-'));
    try {
      for (const p of plans) {
        fs.writeFileSync(path.join(dir, 'plan.yaml'), toYaml(p.doc));
        const s = JSON.parse(execFileSync(process.execPath, [path.join(REPO_ROOT, 'bin/orchestrate.js'), 'schedule', '--plan', 'plan.yaml', '--json'], { cwd: dir, encoding: 'utf8' })) as { lowerBound: number; makespan: number; agentsUsed: number };
        console.log(`${p.plan}: ${p.doc.tickets.length} tickets, ${p.doc.agents} agents (${s.agentsUsed} used), lower bound ${s.lowerBound} min = ${((s.lowerBound / 60) * scale).toFixed(1)} s, schedule ${s.makespan} min`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const targets = values.targets!.split(',') as Target[];
  for (const t of targets) if (t !== 'claude' && t !== 'plugin') throw new Error(`--targets: ${t} is neither claude nor plugin`);
  const loops = values.loops!.split(',');
  for (const l of loops) if (l !== 'next' && l !== 'waves') throw new Error(`--loops: ${l} is neither next nor waves`);
  const jobs: Job[] = plans.flatMap((p) => targets.map((target) => ({ ...p, target })));
  const allowHelper = values['allow-helper']!;
  const rows: Row[] = [];
  const queue = [...jobs];
  const workers = Array.from({ length: Math.max(1, Number(values.jobs)) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const started = Date.now();
      rows.push(...(await runJob(job, loops, scale, allowHelper)));
      process.stderr.write(`bench: ${job.plan} on ${job.target} done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  });
  await Promise.all(workers);
  const order = (r: Row) => `${plans.findIndex((p) => p.plan === r.plan)}-${targets.indexOf(r.target)}-${loops.indexOf(r.loop)}`;
  rows.sort((a, b) => order(a).localeCompare(order(b)));
  console.log(table(rows, scale));
  console.log(`helper allowed beyond the command's turn: ${allowHelper ? 'yes (user settings rule)' : 'no (only the command\'s allowed-tools)'}; machine load at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

/** The example plan as a PlanDoc (its estimates and files are read for the stand-in agents). */
function parseExample(): PlanDoc {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'examples/execution-plan.yaml'), 'utf8');
  return yamlParse(text) as PlanDoc;
}

main().catch((err: unknown) => {
  console.error((err as Error).stack ?? String(err));
  process.exit(1);
});
