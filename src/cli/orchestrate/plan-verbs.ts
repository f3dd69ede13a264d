import path from 'node:path';
import { formatDiagnostic, summarize } from '../../diagnostics/diagnostic.ts';
import { ToolError } from '../../diagnostics/errors.ts';
import { VALIDATION_LEVELS, type SessionSettings, type SessionState } from '../../runtime/state.ts';
import { createSession, listSessionIds, loadSession, storeNow } from '../../runtime/store/store.ts';
import { fileBackendOf } from '../../runtime/store/file-store.ts';
import { parallelismOf } from '../../runtime/parallelism-limit.ts';
import type { SchedulableTicket } from '../../runtime/scheduler/types.ts';
import * as verbs from '../../runtime/verbs.ts';
import { ID, intFlag, list, print, sessionLine, sessionOf, str, strategyFlag, usageError, views, type Values, type Verb } from './verb.ts';

/** An agent type given on the command line: a safe name (letters, digits, `-`, `_`, `:`). */
const AGENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9_:-]{0,199}$/;

/**
 * The run's settings given to `init` (docs/contracts.md §6); only the flags given.
 * @throws ToolError `InvalidArguments` naming the flag and the allowed values.
 */
function settingsFlags(verb: Verb, v: Values): Partial<SessionSettings> {
  const out: Partial<SessionSettings> = {};
  const validation = str(v, 'validation');
  if (validation !== undefined) {
    const level = VALIDATION_LEVELS.find((l) => l === validation);
    if (!level) throw usageError(verb, `Invalid --validation \`${validation}\`, expected one of ${VALIDATION_LEVELS.map((l) => `\`${l}\``).join(', ')}`);
    out.validation = level;
  }
  for (const [flag, key] of [['reviewer', 'reviewer'], ['worker-agent', 'worker_agent']] as const) {
    const x = str(v, flag);
    if (x === undefined) continue;
    if (!AGENT_TYPE.test(x)) throw usageError(verb, `Invalid --${flag} \`${x}\`, expected an agent name (letters, digits, \`-\`, \`_\`, \`:\`)`);
    out[key] = x;
  }
  const attempts = intFlag(verb, v, 'max-attempts', 1, 100);
  if (attempts !== undefined) out.max_attempts = attempts;
  if (v.dashboard === true) out.dashboard = true;
  if (v['pause-on-conflicts'] === true) out.pause_on_conflicts = true;
  const command = str(v, 'command');
  if (command !== undefined) {
    if (!/^\/?[A-Za-z0-9][A-Za-z0-9:_-]{0,199}$/.test(command)) throw usageError(verb, `Invalid --command \`${command}\`, expected a slash command name such as \`/execute-parallel-plan\``);
    out.command = command.startsWith('/') ? command : `/${command}`;
  }
  return out;
}

/** The plan verbs of `orchestrate`: `init`, `validate`, `activate`, `adjust`, `schedule`, `resources`. */
export const PLAN_VERBS: Record<string, Verb> = {
  init: {
    usage:
      'Usage: orchestrate init PLAN.yaml [--id ID] [--agents N] [--strategy maximum|balanced|sequential] [--groups 1,3 [--skip-dependencies]]\n' +
      '       [--priority critical,high]\n' +
      '       [--validation standard|strict|comprehensive] [--reviewer AGENT] [--worker-agent AGENT] [--max-attempts N]\n' +
      '       [--dashboard] [--pause-on-conflicts] [--command NAME] [--json]',
    summary: 'validate a plan, create the session (status planned), make it current, print its id',
    details:
      "--agents and --strategy replace the plan's `agents:` and `strategy:` for this session (the file is not changed).\n" +
      '--groups keeps only the tickets of those dependency groups (numbered from 1, as `schedule` prints them); a\n' +
      'dependency on a ticket left out is refused, or dropped with --skip-dependencies. --priority keeps the tickets\n' +
      'of those priorities and every ticket they depend on.\n' +
      'The other flags are the run\'s settings, stored in the session so `next` and `resume` continue as started:\n' +
      '--validation (default standard), --reviewer (review agent, default code-reviewer), --worker-agent (agent for\n' +
      'tickets whose own type does not exist, default implementation-agent), --max-attempts (claims per ticket,\n' +
      'default the plan\'s max_attempts or 3), --dashboard, --pause-on-conflicts, --command (the slash command).',
    options: {
      ...ID,
      agents: { type: 'string' },
      strategy: { type: 'string' },
      groups: { type: 'string' },
      'skip-dependencies': { type: 'boolean' },
      priority: { type: 'string' },
      validation: { type: 'string' },
      reviewer: { type: 'string' },
      'worker-agent': { type: 'string' },
      'max-attempts': { type: 'string' },
      dashboard: { type: 'boolean' },
      'pause-on-conflicts': { type: 'boolean' },
      command: { type: 'string' },
    },
    positionals: 1,
    async run(ctx) {
      const file = ctx.positionals[0];
      if (!file) throw usageError(this, 'Missing PLAN.yaml');
      const agents = intFlag(this, ctx.values, 'agents', 1, 1000);
      const strategy = strategyFlag(this, ctx.values);
      const groupsText = str(ctx.values, 'groups');
      if (groupsText !== undefined && !/^\d+(,\d+)*$/.test(groupsText)) throw usageError(this, `Invalid --groups \`${groupsText}\`, expected group numbers separated by commas, e.g. 1,3`);
      const groups = groupsText?.split(',').map(Number);
      const settings = settingsFlags(this, ctx.values);
      const { loadPlan } = await import('../../definitions/plan-load.ts');
      const { newSessionId, newSessionState } = await import('../../runtime/new-session.ts');
      const abs = path.resolve(ctx.opts.cwd, file);
      let plan = { ...loadPlan(abs, file) };
      if (agents !== undefined) plan.agents = agents;
      if (strategy !== undefined) plan.strategy = strategy;
      if (groups !== undefined) plan = (await import('../../runtime/plan-groups.ts')).selectGroups(plan, groups, ctx.values['skip-dependencies'] === true);
      else if (ctx.values['skip-dependencies'] === true) throw usageError(this, '--skip-dependencies goes with --groups');
      const priorities = list(ctx.values, 'priority');
      if (priorities.length) plan = (await import('../../runtime/plan-groups.ts')).selectPriorities(plan, priorities);
      const ms = storeNow(ctx.store);
      const now = new Date(ms).toISOString();
      const id = str(ctx.values, 'id') ?? newSessionId(plan.title, ms);
      if (plan.tickets.some((t) => t.requires?.length)) {
        const { checkRequirements } = await import('../../runtime/cross-session.ts');
        await checkRequirements(plan, id, async (sid) => ((await listSessionIds(ctx.store)).includes(sid) ? (await loadSession(ctx.store, sid)).state : null));
      }
      const state = newSessionState(plan, id, file, now, settings);
      await createSession(ctx.store, state, { agent: null, verb: 'init', ticket: null, before: null, after: 'planned', data: { plan: file, tickets: plan.tickets.length, parallelism: state.parallelism, ...(groups ? { groups } : {}) } });
      const files = fileBackendOf(ctx.store);
      const excluded = files ? (await import('../../runtime/git-exclude.ts')).excludeStateDir(ctx.store.root, ctx.env) : null;
      if (excluded) ctx.opts.stderr.write(`added .orchestration/ to ${ctx.store.display(excluded)}, so git status stays clean\n`);
      return print(ctx, { id, status: state.status, tickets: state.tickets.length, agents: state.agents, parallelism: state.parallelism, settings: state.settings, file: files ? ctx.store.display(files.paths.session(id)) : ctx.store.backend.location }, id);
    },
  },
  validate: {
    usage: 'Usage: orchestrate validate PLAN.yaml [--json]',
    summary: 'check a plan; print every problem as path:line:col',
    options: {},
    positionals: 1,
    async run(ctx) {
      const file = ctx.positionals[0];
      if (!file) throw usageError(this, 'Missing PLAN.yaml');
      const { loadPlan } = await import('../../definitions/plan-load.ts');
      try {
        const plan = loadPlan(path.resolve(ctx.opts.cwd, file), file);
        return print(ctx, { valid: true, file, tickets: plan.tickets.length, diagnostics: [] }, `${file}: valid (${plan.tickets.length} tickets)`);
      } catch (e) {
        if (!(e instanceof ToolError) || e.code !== 'InvalidPlan') throw e;
        if (ctx.json) {
          ctx.out.write(`${JSON.stringify({ valid: false, file, message: e.message, diagnostics: e.diagnostics }, null, 2)}\n`);
        } else {
          for (const d of e.diagnostics) ctx.out.write(`${formatDiagnostic(d)}\n`);
          if (e.diagnostics.length === 0) ctx.out.write(`${e.message}\n`);
          ctx.opts.stderr.write(`${summarize(e.diagnostics, 1)}\n`);
        }
        return 1;
      }
    },
  },
  activate: {
    usage: 'Usage: orchestrate activate [--require-resources] [--id ID] [--json]',
    summary: 'planned → coordinating: agents may claim tickets (the strategy sets how many at once)',
    details:
      'Checks first whether the machine has the memory, disk and cores the parallelism needs (see `resources`):\n' +
      'a shortfall is a warning on stderr (and `resource_warnings` in --json); with --require-resources it is\n' +
      'refused instead (exit 1, the session stays planned).',
    options: { ...ID, 'require-resources': { type: 'boolean' } },
    async run(ctx) {
      const id = await sessionOf(ctx);
      const { resourcesOf } = await import('../../runtime/resources.ts');
      const before = resourcesOf((await loadSession(ctx.store, id)).state, ctx.store.root, ctx.env);
      if (ctx.values['require-resources'] === true && before.check.problems.length > 0) {
        throw new ToolError('InvalidTransition', `Not enough resources for ${before.limit} agent(s): ${before.check.problems.join('; ')}`, { hint: `Lower the parallelism (\`adjust --agents ${before.suggest.parallelism}\`) or free resources. State file unchanged.` });
      }
      const s = await verbs.activate(ctx.store, id, null);
      const limit = parallelismOf(s);
      const warnings = resourcesOf(s, ctx.store.root, ctx.env).check.problems; // the limit activate recomputed
      for (const w of warnings) ctx.opts.stderr.write(`warning: short of resources for ${limit.limit} agent(s): ${w}\n`);
      return print(ctx, { id: s.id, status: s.status, revision: s.revision, parallelism: limit.limit, parallelism_source: limit.source, resource_warnings: warnings }, `${sessionLine(s)}; at most ${limit.limit} running (${limit.source})`);
    },
  },
  adjust: {
    usage: 'Usage: orchestrate adjust --agents N [--id ID] [--json]',
    summary: 'change the agents available; recomputes how many tickets may run at once (the strategy decides)',
    options: { ...ID, agents: { type: 'string' } },
    async run(ctx) {
      const n = intFlag(this, ctx.values, 'agents', 1, 1000);
      if (n === undefined) throw usageError(this, 'Missing --agents');
      const s = await verbs.adjust(ctx.store, await sessionOf(ctx), n);
      const limit = parallelismOf(s);
      return print(ctx, { id: s.id, agents: s.agents, parallelism: limit.limit, parallelism_source: limit.source, revision: s.revision }, `${s.id}: agents ${s.agents}; at most ${limit.limit} running (${limit.source})`);
    },
  },
  schedule: {
    usage: 'Usage: orchestrate schedule [--plan PLAN.yaml [--priority critical,high]] [--scope pending|all] [--agents N] [--strategy maximum|balanced|sequential] [--id ID] [--json]',
    summary: 'dependency groups, critical path, per-agent assignment, estimated makespan and its lower bound',
    details: 'With --plan: schedule that plan file (no session needed); --priority keeps those priorities and the\ntickets they depend on. Without: the remaining (not completed) tickets of the session (--scope all: every\nticket), with its agents and strategy unless overridden, and the session\'s claim limit (claimLimit: how\nmany tickets may run at once, computed at activate/adjust).',
    options: { ...ID, plan: { type: 'string' }, agents: { type: 'string' }, strategy: { type: 'string' }, priority: { type: 'string' }, scope: { type: 'string' } },
    async run(ctx) {
      const strategyOverride = strategyFlag(this, ctx.values);
      const agentsFlag = intFlag(this, ctx.values, 'agents', 1, 1000);
      let tickets: SchedulableTicket[];
      let agents: number;
      let strategy: 'maximum' | 'balanced' | 'sequential';
      let session: SessionState | null = null;
      const planFile = str(ctx.values, 'plan');
      const priorities = list(ctx.values, 'priority');
      const scope = str(ctx.values, 'scope') ?? 'pending';
      if (scope !== 'pending' && scope !== 'all') throw usageError(this, `Invalid --scope \`${scope}\`, expected \`pending\` or \`all\``);
      if (planFile !== undefined) {
        if (str(ctx.values, 'id') !== undefined) throw usageError(this, '--plan schedules a plan file, --id a session: pass one of them');
        const { loadPlan } = await import('../../definitions/plan-load.ts');
        let plan = loadPlan(path.resolve(ctx.opts.cwd, planFile), planFile);
        if (priorities.length) plan = (await import('../../runtime/plan-groups.ts')).selectPriorities(plan, priorities);
        tickets = plan.tickets;
        agents = plan.agents;
        strategy = plan.strategy;
      } else {
        if (priorities.length) throw usageError(this, '--priority goes with --plan (for a session, pass it to `init`)');
        session = (await loadSession(ctx.store, await sessionOf(ctx))).state;
        tickets = scope === 'all' ? (await import('../../runtime/scheduler/from-state.ts')).schedulableTickets(session) : (await import('../../runtime/parallelism.ts')).remainingTickets(session);
        agents = session.agents;
        strategy = session.strategy;
      }
      // the session's claim limit (set at activate/adjust), shown beside the plan of its remaining tickets
      const limit = session ? parallelismOf(session) : null;
      const limitJson = limit ? { claimLimit: limit.limit, claimLimitSource: limit.source } : {};
      const limitLine = limit ? `claim limit: ${limit.limit} running at once (${limit.source})\n` : '';
      const { schedule } = await import('../../runtime/scheduler/schedule.ts');
      if (tickets.length === 0) return print(ctx, { tickets: 0, groups: [], agents: [], makespan: 0, ...limitJson }, `nothing left to schedule\n${limitLine}`);
      const r = schedule(tickets, { agents: agentsFlag ?? agents, strategy: strategyOverride ?? strategy });
      const text = (await views.scheduleText()).formatSchedule(r);
      return print(ctx, { ...r, ...limitJson }, text + limitLine);
    },
  },
  resources: {
    usage: 'Usage: orchestrate resources [--suggest] [--id ID] [--json]',
    summary: 'machine load, memory, disk and disk I/O; file conflicts; whether the parallelism fits (--suggest: how many agents)',
    details:
      'Estimates per agent: ORCHESTRATE_AGENT_MEMORY_MB (default 512), ORCHESTRATE_AGENT_DISK_MB (default 256), one\n' +
      'core per two agents. --suggest prints the most agents the machine has room for now (at most the limit).',
    options: { ...ID, suggest: { type: 'boolean' } },
    async run(ctx) {
      const { resourcesOf } = await import('../../runtime/resources.ts');
      const r = resourcesOf((await loadSession(ctx.store, await sessionOf(ctx))).state, ctx.store.root, ctx.env);
      const mib = (b: number) => `${Math.round(b / 1048576)} MiB`;
      if (ctx.values.suggest === true) return print(ctx, { suggest: r.suggest, limit: r.limit, check: r.check }, `suggested parallelism: ${r.suggest.parallelism} (limit ${r.limit}): ${r.suggest.reason}`);
      const lines = [
        `cpus: ${r.cpus}  load: ${r.loadavg.join(' ')}`,
        `memory: ${r.memory.used_percent}% used (${mib(r.memory.free_bytes)} free of ${mib(r.memory.total_bytes)})`,
        r.disk ? `disk: ${r.disk.used_percent}% used (${mib(r.disk.free_bytes)} free of ${mib(r.disk.total_bytes)})` : 'disk: unknown',
        r.io ? `disk I/O since boot: ${mib(r.io.read_bytes)} read, ${mib(r.io.written_bytes)} written` : 'disk I/O: unknown',
        `running: ${r.running} of ${r.limit} (${r.limit_source})`,
        r.check.problems.length ? `short of resources: ${r.check.problems.join('; ')}` : `resources: enough for ${r.limit} agent(s)`,
        r.conflicts.length === 0 ? 'file conflicts: none' : `file conflicts:\n${r.conflicts.map((c) => `  ${c.file}: running ${c.running.join(', ')}; waiting ${c.waiting.join(', ') || '-'}`).join('\n')}`,
      ];
      return print(ctx, r, lines.join('\n'));
    },
  },
};
