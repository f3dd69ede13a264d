import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatDiagnostic, summarize } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import type { ExitCode, MainOptions, Writable } from './io.ts';
import { reportError } from './report-error.ts';
import { resolveTextFiles, TEXT_FILE_HELP } from './text-files.ts';
import { VALIDATION_LEVELS, type SessionSettings, type SessionState, type TicketState } from '../runtime/state.ts';
import { parseDurationMs } from '../runtime/duration.ts';
import { closeStore, createSession, listSessionIds, loadSession, openStore, readCommittedEvents, readCurrent, resolveSessionId, storeNow, type Store } from '../runtime/store/store.ts';
import { fileBackendOf } from '../runtime/store/file-store.ts';
import { DEFAULT_LEASE_MS, unmetRequirements } from '../runtime/tickets.ts';
import { parallelismOf } from '../runtime/parallelism-limit.ts';
import { SCHEDULE_STRATEGIES, type SchedulableTicket, type ScheduleStrategy } from '../runtime/scheduler/types.ts';
import * as verbs from '../runtime/verbs.ts';
import { statusJson } from '../runtime/progress.ts';

/**
 * The `orchestrate` runtime helper CLI (docs/contracts.md section 5): `orchestrate VERB [ARGS] [--json]`.
 * Thin: parses flags with `node:util` parseArgs, resolves the session, calls a function of
 * `src/runtime/verbs.ts` (or the scheduler / views), prints a short plain result or JSON.
 * Exit 0 ok, 1 invalid input / not allowed now (state unchanged), 2 could not run.
 * Heavy parts (zod plan validation, views, scheduler output) are loaded lazily so `claim` starts fast.
 */

type Values = Record<string, string | boolean | string[] | undefined>;
type Options = NonNullable<ParseArgsConfig['options']>;

interface Ctx {
  opts: MainOptions;
  env: Record<string, string | undefined>;
  values: Values;
  positionals: string[];
  json: boolean;
  store: Store;
  out: Writable;
}

interface Verb {
  usage: string;
  summary: string;
  details?: string;
  options: Options;
  run(ctx: Ctx): Promise<ExitCode> | ExitCode;
  positionals?: number;
}

const ID = { id: { type: 'string' } } as const;

const GLOBAL_USAGE = `Usage: orchestrate VERB [ARGS] [--id ID] [--json]
       orchestrate --version

The build-commands runtime helper: one shared orchestration state (plan, tickets, owners, event log) that
parallel agents change through short commands. State lives in .orchestration/ at the root of the main git
worktree (or the current folder outside git), or in PostgreSQL for agents on several machines: --store URL,
ORCHESTRATE_DATABASE_URL, or store: in .orchestration/config.yaml. --id may be left out when exactly one
session is active.

Verbs:
`;

const EXIT_NOTE = '\nExit codes: 0 ok, 1 invalid input or not allowed now (state unchanged), 2 could not run.\n';

function str(v: Values, k: string): string | undefined {
  const x = v[k];
  return typeof x === 'string' ? x : undefined;
}

function need(v: Values, k: string, verb: Verb): string {
  const x = str(v, k);
  if (x === undefined || x === '') throw usageError(verb, `Missing --${k}`);
  return x;
}

function usageError(verb: Verb, message: string): ToolError {
  return new ToolError('InvalidArguments', `${verb.usage}\n${message}`);
}

function intFlag(verb: Verb, v: Values, k: string, min: number, max: number): number | undefined {
  const x = str(v, k);
  if (x === undefined) return undefined;
  if (!/^-?\d+$/.test(x) || Number(x) < min || Number(x) > max) throw usageError(verb, `Invalid --${k} \`${x}\`, expected an integer from ${min} to ${max}`);
  return Number(x);
}

/** `--strategy` when given: one of the three strategies. @throws ToolError `InvalidArguments` otherwise. */
function strategyFlag(verb: Verb, v: Values): ScheduleStrategy | undefined {
  const x = str(v, 'strategy');
  if (x === undefined) return undefined;
  const known = SCHEDULE_STRATEGIES.find((s) => s === x);
  if (known) return known;
  throw usageError(verb, `Invalid --strategy \`${x}\`, expected one of ${SCHEDULE_STRATEGIES.map((s) => `\`${s}\``).join(', ')}`);
}

/** Longest lease accepted (7 days, in ms): beyond it a lease is a typo, and far beyond it not a date at all. */
const MAX_LEASE_MS = 7 * 24 * 3_600_000;

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

function leaseFlag(verb: Verb, v: Values, env: Record<string, string | undefined>): number {
  const x = str(v, 'lease');
  if (x === undefined) {
    const envLease = parseDurationMs(String(env.ORCHESTRATE_LEASE ?? ''));
    return envLease !== null && envLease <= MAX_LEASE_MS ? envLease : DEFAULT_LEASE_MS;
  }
  const ms = parseDurationMs(x);
  if (ms === null) throw usageError(verb, `Invalid --lease \`${x}\`, expected a duration such as \`30s\`, \`15m\`, \`2h\` or minutes`);
  if (ms > MAX_LEASE_MS) throw new ToolError('OutOfRange', `${verb.usage}\n--lease \`${x}\` is out of range, expected at most 7 days (\`168h\`)`);
  return ms;
}

function list(v: Values, k: string): string[] {
  const x = v[k];
  const items = Array.isArray(x) ? x : typeof x === 'string' ? [x] : [];
  return items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

function print(ctx: Ctx, value: unknown, plain: string): ExitCode {
  ctx.out.write(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : plain.endsWith('\n') ? plain : `${plain}\n`);
  return 0;
}

function sessionOf(ctx: Ctx): Promise<string> {
  return resolveSessionId(ctx.store, str(ctx.values, 'id'));
}

/** The ticket a gate verb acts on: `TICKET` or `--ticket T` (one of them). */
function ticketArg(verb: Verb, ctx: Ctx): string {
  const flag = str(ctx.values, 'ticket');
  const pos = ctx.positionals[0];
  if (flag !== undefined && pos !== undefined && flag !== pos) throw usageError(verb, 'Pass the ticket once (TICKET or --ticket T)');
  const t = pos ?? flag;
  if (t === undefined || t === '') throw usageError(verb, 'Missing TICKET');
  return t;
}

/** The ticket fields a claim returns to the agent. */
function ticketView(t: TicketState): Record<string, unknown> {
  return {
    id: t.id,
    title: t.title,
    priority: t.priority,
    estimate_minutes: t.estimate_minutes,
    dependencies: t.dependencies,
    files: t.files,
    agent_type: t.agent_type,
    acceptance: t.acceptance,
    status: t.status,
    agent: t.agent,
    attempts: t.attempts,
    max_attempts: t.max_attempts ?? null,
    review_notes: t.review_notes ?? null,
    claimed_at: t.claimed_at,
    lease_expires_at: t.lease_expires_at,
    checkpoint: t.checkpoint,
  };
}

function sessionLine(s: SessionState): string {
  return `${s.id}: ${s.status}${s.status_reason ? ` (${s.status_reason})` : ''}`;
}

/** Views and scheduler functions, loaded on first use (kept out of claim's start-up). */
const views = {
  status: () => import('../runtime/views/status.ts'),
  events: () => import('../runtime/views/events.ts'),
  report: () => import('../runtime/views/report.ts'),
  consolidate: () => import('../runtime/views/consolidate.ts'),
  scheduleText: () => import('../runtime/views/schedule-text.ts'),
  dashboard: () => import('../runtime/views/dashboard.ts'),
  blockers: () => import('../runtime/views/blockers.ts'),
};

const VERBS: Record<string, Verb> = {
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
      const { loadPlan } = await import('../definitions/plan-load.ts');
      const { newSessionId, newSessionState } = await import('../runtime/new-session.ts');
      const abs = path.resolve(ctx.opts.cwd, file);
      let plan = { ...loadPlan(abs, file) };
      if (agents !== undefined) plan.agents = agents;
      if (strategy !== undefined) plan.strategy = strategy;
      if (groups !== undefined) plan = (await import('../runtime/plan-groups.ts')).selectGroups(plan, groups, ctx.values['skip-dependencies'] === true);
      else if (ctx.values['skip-dependencies'] === true) throw usageError(this, '--skip-dependencies goes with --groups');
      const priorities = list(ctx.values, 'priority');
      if (priorities.length) plan = (await import('../runtime/plan-groups.ts')).selectPriorities(plan, priorities);
      const ms = storeNow(ctx.store);
      const now = new Date(ms).toISOString();
      const id = str(ctx.values, 'id') ?? newSessionId(plan.title, ms);
      if (plan.tickets.some((t) => t.requires?.length)) {
        const { checkRequirements } = await import('../runtime/cross-session.ts');
        await checkRequirements(plan, id, async (sid) => ((await listSessionIds(ctx.store)).includes(sid) ? (await loadSession(ctx.store, sid)).state : null));
      }
      const state = newSessionState(plan, id, file, now, settings);
      await createSession(ctx.store, state, { agent: null, verb: 'init', ticket: null, before: null, after: 'planned', data: { plan: file, tickets: plan.tickets.length, parallelism: state.parallelism, ...(groups ? { groups } : {}) } });
      const files = fileBackendOf(ctx.store);
      const excluded = files ? (await import('../runtime/git-exclude.ts')).excludeStateDir(ctx.store.root, ctx.env) : null;
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
      const { loadPlan } = await import('../definitions/plan-load.ts');
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
      const { resourcesOf } = await import('../runtime/resources.ts');
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
  claim: {
    usage: 'Usage: orchestrate claim --agent NAME [--lease 15m] [--wait SECONDS] [--id ID] [--json]',
    summary: 'atomically take the best ready ticket (all dependencies completed, no shared file running)',
    details: 'Prints {"ticket": {...}} or {"ticket": null, "reason": "..."} with --json. The lease (default 15m)\nis extended by heartbeat; an expired lease makes the ticket claimable again.\nWith --wait S, when no ticket is ready yet, waits up to S seconds for one (watching the state file,\nwithout taking the lock) instead of answering at once: no polling loop needed.',
    options: { ...ID, agent: { type: 'string' }, lease: { type: 'string' }, wait: { type: 'string' } },
    async run(ctx) {
      const agent = need(ctx.values, 'agent', this);
      const lease = leaseFlag(this, ctx.values, ctx.env);
      const wait = intFlag(this, ctx.values, 'wait', 0, 3600) ?? 0;
      const r = await verbs.claim(ctx.store, await sessionOf(ctx), agent, lease, wait * 1000);
      if (r.ticket) return print(ctx, { ticket: ticketView(r.ticket) }, `claimed ${r.ticket.id}: ${r.ticket.title} (lease until ${r.ticket.lease_expires_at})`);
      return print(ctx, { ticket: null, reason: r.reason, code: r.code }, `no ticket: ${r.reason}`);
    },
  },
  heartbeat: {
    usage: 'Usage: orchestrate heartbeat --agent NAME [--ticket T] [--progress 0-100] [--note TEXT | --note-file F] [--lease 15m] [--id ID] [--json]',
    summary: "extend the lease of the agent's ticket; record progress and a note",
    details: `--lease is at most 7 days. ${TEXT_FILE_HELP}`,
    options: { ...ID, agent: { type: 'string' }, ticket: { type: 'string' }, progress: { type: 'string' }, note: { type: 'string' }, 'note-file': { type: 'string' }, lease: { type: 'string' } },
    async run(ctx) {
      const agent = need(ctx.values, 'agent', this);
      const progress = intFlag(this, ctx.values, 'progress', 0, 100);
      const t = await verbs.beat(ctx.store, await sessionOf(ctx), { agent, ticket: str(ctx.values, 'ticket'), progress, note: str(ctx.values, 'note'), leaseMs: leaseFlag(this, ctx.values, ctx.env) });
      return print(ctx, { ticket: ticketView(t) }, `${t.id}: ${t.status} ${t.progress}% (lease until ${t.lease_expires_at})`);
    },
  },
  complete: {
    usage: 'Usage: orchestrate complete --ticket T --agent NAME (--summary TEXT | --summary-file F) [--commit SHA] [--files a,b] [--test-cmd CMD --test-exit N] [--verify] [--id ID] [--json]',
    summary: 'record a ticket\'s result with its evidence (--verify, and strict/comprehensive validation, re-check commit, files and tests first)',
    details:
      'Under the session\'s strict or comprehensive validation the helper verifies even without --verify: a commit is\n' +
      'required, every file it changes must be among the ticket\'s declared files, and the test command is re-run.\n' +
      'Under comprehensive validation the ticket then waits in `review` for `approve` / `reject`.\n' +
      `--files are paths relative to the repository root; one outside it is refused. ${TEXT_FILE_HELP}`,
    options: {
      ...ID,
      ticket: { type: 'string' },
      agent: { type: 'string' },
      summary: { type: 'string' },
      'summary-file': { type: 'string' },
      commit: { type: 'string', multiple: true },
      files: { type: 'string', multiple: true },
      'test-cmd': { type: 'string' },
      'test-exit': { type: 'string' },
      verify: { type: 'boolean' },
    },
    async run(ctx) {
      const testExit = intFlag(this, ctx.values, 'test-exit', -255, 255);
      const testCmd = str(ctx.values, 'test-cmd') ?? null;
      if (testExit !== undefined && testCmd === null) throw usageError(this, '--test-exit needs --test-cmd');
      const { ticket: t, session: s } = await verbs.complete(ctx.store, await sessionOf(ctx), {
        ticket: need(ctx.values, 'ticket', this),
        agent: need(ctx.values, 'agent', this),
        summary: need(ctx.values, 'summary', this),
        commits: list(ctx.values, 'commit'),
        files: list(ctx.values, 'files'),
        testCmd,
        testExit: testExit ?? null,
        verify: ctx.values.verify === true,
      });
      const what = t.status === 'review' ? `${t.id} done, waiting for review` : `completed ${t.id}`;
      return print(ctx, { ticket: ticketView(t), session: s }, `${what}${t.evidence?.verified ? ' (verified)' : ''}; session ${s.id}: ${s.completed}/${s.total} done, ${s.status}`);
    },
  },
  next: {
    usage: 'Usage: orchestrate next [--returned WORKER:TICKET:ATTEMPT ...] [--wait SECONDS] [--lease 15m] [--id ID] [--json]',
    summary: 'the dispatcher: decide what the coordinator does now (spawn, review, wait, report, escalate, stopped)',
    details:
      'One transaction: releases tickets of workers reported as returned without a result (--returned\n' +
      'worker-2:MOD-001:1, the first word of the agent\'s description; WORKER:TICKET, a bare worker name or a\n' +
      'ticket id also work, less exactly),\n' +
      'retries failed tickets with attempts left, claims ready tickets for free worker slots\n' +
      '(worker-1 … worker-L, L = the parallelism limit; same choice as claim), hands tickets in review to\n' +
      'reviewers, and ends the run when nothing runs and nothing can. --json prints one line:\n' +
      '{"session", "status", "progress", "actions": [{"do": "spawn", "ticket", "worker", "subagent_type",\n' +
      '"description", "prompt"}, {"do": "wait", "running"}, {"do": "report"}, ...]}. Carry out the actions\n' +
      'exactly (all spawns of one answer in one message, each with run_in_background), then call next again.\n' +
      '--wait SECONDS: while there is nothing to do but wait, block (watching the state file, no lock) until a\n' +
      'running ticket changes or a lease lapses, then decide again; after SECONDS print the wait (at most 3600).\n' +
      'Called again with nothing changed, it prints the same actions and writes nothing.',
    options: { ...ID, returned: { type: 'string', multiple: true }, lease: { type: 'string' }, wait: { type: 'string' } },
    async run(ctx) {
      const wait = intFlag(this, ctx.values, 'wait', 0, 3600) ?? 0;
      const r = await verbs.next(ctx.store, await sessionOf(ctx), { returned: list(ctx.values, 'returned'), leaseMs: leaseFlag(this, ctx.values, ctx.env), waitMs: wait * 1000 });
      if (ctx.json) {
        ctx.out.write(`${JSON.stringify(r)}\n`);
        return 0;
      }
      const { formatNext } = await import('../runtime/dispatch/next-text.ts');
      return print(ctx, r, formatNext(r));
    },
  },
  retry: {
    usage: 'Usage: orchestrate retry TICKET [--attempts N] [--agent NAME] [--id ID] [--json]',
    summary: 'a failed ticket back to pending for another attempt (--attempts N grants N more beyond its limit)',
    options: { ...ID, ticket: { type: 'string' }, attempts: { type: 'string' }, agent: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const ticket = ticketArg(this, ctx);
      const grant = intFlag(this, ctx.values, 'attempts', 1, 100) ?? 0;
      const t = await verbs.retry(ctx.store, await sessionOf(ctx), { ticket, agent: str(ctx.values, 'agent') ?? null, grant });
      return print(ctx, { ticket: ticketView(t) }, `${t.id}: ${t.status} (attempt ${t.attempts + 1} of ${t.max_attempts ?? '?'} next)`);
    },
  },
  approve: {
    usage: 'Usage: orchestrate approve TICKET [--agent NAME] [--note TEXT] [--id ID] [--json]',
    summary: 'review gate: a ticket in review becomes completed (its dependants become ready)',
    options: { ...ID, ticket: { type: 'string' }, agent: { type: 'string' }, note: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const { ticket: t, session: s } = await verbs.approve(ctx.store, await sessionOf(ctx), { ticket: ticketArg(this, ctx), agent: str(ctx.values, 'agent') ?? null, note: str(ctx.values, 'note') ?? null });
      const done = s.tickets.filter((x) => x.status === 'completed').length;
      return print(ctx, { ticket: ticketView(t), session: { id: s.id, status: s.status, completed: done, total: s.tickets.length } }, `approved ${t.id}; session ${s.id}: ${done}/${s.tickets.length} done, ${s.status}`);
    },
  },
  reject: {
    usage: 'Usage: orchestrate reject TICKET --reason TEXT [--agent NAME] [--id ID] [--json]',
    summary: 'review gate: a ticket in review goes back to pending with the reviewer\'s notes (the attempt counts)',
    options: { ...ID, ticket: { type: 'string' }, agent: { type: 'string' }, reason: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const t = await verbs.reject(ctx.store, await sessionOf(ctx), { ticket: ticketArg(this, ctx), agent: str(ctx.values, 'agent') ?? null, reason: need(ctx.values, 'reason', this) });
      return print(ctx, { ticket: ticketView(t) }, `${t.id}: ${t.status} (review notes: ${t.review_notes ?? ''})`);
    },
  },
  gate: {
    usage: 'Usage: orchestrate gate --level stream|system [--group N] --verdict pass|fail [--agent NAME] [--notes TEXT] [--id ID] [--json]',
    summary: 'record a quality gate (stream: after dependency group N; system: the whole run); shown by report',
    options: { ...ID, level: { type: 'string' }, group: { type: 'string' }, verdict: { type: 'string' }, agent: { type: 'string' }, notes: { type: 'string' } },
    async run(ctx) {
      const level = need(ctx.values, 'level', this);
      if (level !== 'stream' && level !== 'system') throw usageError(this, `Invalid --level \`${level}\`, expected \`stream\` or \`system\``);
      const verdict = need(ctx.values, 'verdict', this);
      if (verdict !== 'pass' && verdict !== 'fail') throw usageError(this, `Invalid --verdict \`${verdict}\`, expected \`pass\` or \`fail\``);
      const group = intFlag(this, ctx.values, 'group', 1, 100_000) ?? null;
      const g = await verbs.gate(ctx.store, await sessionOf(ctx), { level, group, verdict, reviewer: str(ctx.values, 'agent') ?? null, notes: str(ctx.values, 'notes') ?? null });
      return print(ctx, { gate: g }, `${g.level} gate${g.group !== null ? ` (group ${g.group})` : ''}: ${g.verdict}`);
    },
  },
  fail: {
    usage: 'Usage: orchestrate fail --ticket T --agent NAME (--reason TEXT | --reason-file F) [--retry] [--id ID] [--json]',
    summary: 'mark a ticket failed (--retry: back to pending for another attempt)',
    details: TEXT_FILE_HELP,
    options: { ...ID, ticket: { type: 'string' }, agent: { type: 'string' }, reason: { type: 'string' }, 'reason-file': { type: 'string' }, retry: { type: 'boolean' } },
    async run(ctx) {
      const t = await verbs.fail(ctx.store, await sessionOf(ctx), { ticket: need(ctx.values, 'ticket', this), agent: need(ctx.values, 'agent', this), reason: need(ctx.values, 'reason', this), retry: ctx.values.retry === true });
      return print(ctx, { ticket: ticketView(t) }, `${t.id}: ${t.status}`);
    },
  },
  block: {
    usage: 'Usage: orchestrate block --ticket T [--agent NAME] (--reason TEXT | --reason-file F) [--id ID] [--json]',
    summary: 'block a ticket with a reason (records a blocker)',
    details: TEXT_FILE_HELP,
    options: { ...ID, ticket: { type: 'string' }, agent: { type: 'string' }, reason: { type: 'string' }, 'reason-file': { type: 'string' } },
    async run(ctx) {
      const b = await verbs.block(ctx.store, await sessionOf(ctx), { ticket: need(ctx.values, 'ticket', this), agent: str(ctx.values, 'agent') ?? null, reason: need(ctx.values, 'reason', this) });
      return print(ctx, { blocker: b }, `${b.ticket}: blocked (${b.id}: ${b.reason})`);
    },
  },
  unblock: {
    usage: 'Usage: orchestrate unblock (--ticket T | --blocker B) [--resolution TEXT] [--agent NAME] [--id ID] [--json]',
    summary: 'unblock a ticket (back to pending) and resolve its blockers, or resolve one blocker by id (e.g. a deadlock)',
    options: { ...ID, ticket: { type: 'string' }, blocker: { type: 'string' }, resolution: { type: 'string' }, agent: { type: 'string' } },
    async run(ctx) {
      const common = { resolution: str(ctx.values, 'resolution') ?? null, agent: str(ctx.values, 'agent') ?? null };
      const blocker = str(ctx.values, 'blocker');
      if (blocker !== undefined && str(ctx.values, 'ticket') !== undefined) throw usageError(this, 'Pass --ticket or --blocker, not both');
      if (blocker !== undefined) {
        const b = await verbs.resolve(ctx.store, await sessionOf(ctx), { blocker, ...common });
        return print(ctx, { blocker: b }, `${b.id}: resolved${b.ticket ? ` (ticket ${b.ticket})` : ''}`);
      }
      const t = await verbs.unblock(ctx.store, await sessionOf(ctx), { ticket: need(ctx.values, 'ticket', this), ...common });
      return print(ctx, { ticket: ticketView(t) }, `${t.id}: ${t.status}`);
    },
  },
  status: {
    usage: 'Usage: orchestrate status [--id ID] [--json]',
    summary: 'session status, progress and tickets',
    options: { ...ID },
    async run(ctx) {
      const id = await sessionOf(ctx);
      const s = (await loadSession(ctx.store, id)).state;
      const now = storeNow(ctx.store);
      if (ctx.json) {
        const waiting = s.tickets.filter((t) => t.status === 'pending' && t.requires?.length);
        if (waiting.length === 0) return print(ctx, statusJson(s), '');
        const { satisfiedRequirements } = await import('../runtime/cross-session.ts');
        const met = await satisfiedRequirements(ctx.store, s);
        const external = waiting.map((t) => ({ ticket: t.id, waits_for: unmetRequirements(t, met) })).filter((w) => w.waits_for.length > 0);
        return print(ctx, { ...statusJson(s), waiting_on_sessions: external }, '');
      }
      const events = await ctx.store.backend.events(id, s.revision);
      const v = await views.status();
      return print(ctx, null, v.formatStatus(s, now, events));
    },
  },
  blockers: {
    usage: 'Usage: orchestrate blockers [--escalate] [--stall-minutes N] [--id ID] [--json]',
    summary: 'stalled tickets, failed dependencies, deadlock, file conflicts (--escalate records them; blocks the session only on an error)',
    details: 'With --escalate: every warning or error becomes a blocker (once: an open blocker for the same ticket\nand kind is reused) and is listed in the session\'s escalation. The session moves coordinating → blocked\nonly when a finding is an error (deadlock, two running tickets on one file); after a warning such as a\nfailed dependency it keeps coordinating, so other branches continue.',
    options: { ...ID, escalate: { type: 'boolean' }, 'stall-minutes': { type: 'string' } },
    async run(ctx) {
      const stallMinutes = intFlag(this, ctx.values, 'stall-minutes', 1, 100_000);
      const { blockers } = await import('../runtime/escalate.ts');
      const r = await blockers(ctx.store, await sessionOf(ctx), { escalate: ctx.values.escalate === true, ...(stallMinutes !== undefined ? { stallMinutes } : {}) });
      const v = await views.blockers();
      let text = v.formatBlockers(r.analysis);
      if (r.escalated.length) {
        text += `escalated: ${r.escalated.join(', ')}${r.added.length < r.escalated.length ? ` (new: ${r.added.join(', ') || 'none'})` : ''}; session ${r.status}\n`;
      }
      return print(ctx, { ...r.analysis, escalated: r.escalated, added: r.added, session_status: r.status }, text);
    },
  },
  dashboard: {
    usage: 'Usage: orchestrate dashboard [--watch] [--interval 5s] [--id ID] [--json]',
    summary: 'progress dashboard with the machine\'s CPU, memory and disk (bars on a colour TTY; --watch redraws until the session ends or Ctrl-C)',
    details: 'Plain lines when piped or NO_COLOR is set (FORCE_COLOR=1 forces the colour form). --json prints the\nsession as `status --json` does, plus `resources` as `resources --json` does (one frame, no --watch).',
    options: { ...ID, watch: { type: 'boolean' }, interval: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const id = await sessionOf(ctx);
      const v = await views.dashboard();
      const { resourcesOf } = await import('../runtime/resources.ts');
      const color = (await import('./io.ts')).useColor(ctx.out, ctx.env);
      const render = async () => {
        const s = (await loadSession(ctx.store, id)).state;
        const events = await ctx.store.backend.events(id, s.revision);
        const resources = resourcesOf(s, ctx.store.root, ctx.env);
        return { s, resources, text: v.renderDashboard(s, events, { color, width: ctx.out.columns ?? 80, nowMs: storeNow(ctx.store), resources }) };
      };
      if (ctx.json) {
        const { s, resources } = await render();
        return print(ctx, { ...statusJson(s), resources }, '');
      }
      if (ctx.values.watch !== true) {
        ctx.out.write((await render()).text);
        return 0;
      }
      const interval = parseDurationMs(str(ctx.values, 'interval') ?? '5s') ?? 5000;
      // Redraw only on a TTY, and only when the frame changed; piped output gets one frame (views/watch.ts).
      const { runWatch } = await import('../runtime/views/watch.ts');
      await runWatch({
        render: async () => {
          const { s, text } = await render();
          return { text, final: ['completed', 'failed', 'stopped'].includes(s.status) };
        },
        write: (text: string) => ctx.out.write(text),
        tty: ctx.out.isTTY === true,
        intervalMs: interval,
        sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)),
      });
      return 0;
    },
  },
  events: {
    usage: 'Usage: orchestrate events [--tail N] [--id ID] [--json]',
    summary: 'the event log, oldest first (default: the last 20 events; --tail 0 for all)',
    options: { ...ID, tail: { type: 'string' } },
    async run(ctx) {
      const tail = intFlag(this, ctx.values, 'tail', 0, 1_000_000);
      const events = await readCommittedEvents(ctx.store, await sessionOf(ctx));
      const v = await views.events();
      const n = tail ?? v.DEFAULT_TAIL;
      return print(ctx, { events: v.tailEvents(events, n) }, v.formatEvents(events, n));
    },
  },
  report: {
    usage: 'Usage: orchestrate report [--format markdown|json] [--id ID] [--json]',
    summary: 'completion summary: totals, per priority, durations, failures, parallelism',
    options: { ...ID, format: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const format = str(ctx.values, 'format') ?? (ctx.json ? 'json' : 'markdown');
      if (format !== 'markdown' && format !== 'json') throw usageError(this, `Invalid --format \`${format}\`, expected one of \`markdown\`, \`json\``);
      const id = await sessionOf(ctx);
      const s = (await loadSession(ctx.store, id)).state;
      const events = await ctx.store.backend.events(id, s.revision);
      const v = await views.report();
      const r = v.completionReport(s, events, storeNow(ctx.store));
      ctx.out.write(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : v.renderReportMarkdown(r));
      return 0;
    },
  },
  consolidate: {
    usage: 'Usage: orchestrate consolidate [--format markdown|json] [--id ID] [--json]',
    summary: "the agents' result summaries and evidence merged, by dependency group",
    options: { ...ID, format: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const format = str(ctx.values, 'format') ?? (ctx.json ? 'json' : 'markdown');
      if (format !== 'markdown' && format !== 'json') throw usageError(this, `Invalid --format \`${format}\`, expected one of \`markdown\`, \`json\``);
      const s = (await loadSession(ctx.store, await sessionOf(ctx))).state;
      const v = await views.consolidate();
      const r = v.consolidate(s);
      ctx.out.write(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : v.renderConsolidatedMarkdown(r));
      return 0;
    },
  },
  agents: {
    usage: 'Usage: orchestrate agents [--agent NAME] [--id ID] [--json]',
    summary: 'per-agent status: host, working/idle, tickets, completed, last heartbeat, lease',
    options: { ...ID, agent: { type: 'string' } },
    async run(ctx) {
      const id = await sessionOf(ctx);
      const s = (await loadSession(ctx.store, id)).state;
      const rows = verbs.agentsOf(s, storeNow(ctx.store), str(ctx.values, 'agent'), verbs.claimHosts(await ctx.store.backend.events(id, s.revision)));
      const { printable } = await import('../runtime/views/printable.ts');
      const text = rows.length === 0 ? 'no agents yet' : rows.map((a) => `${printable(a.agent)}${a.host ? ` @${printable(a.host)}` : ''}  ${a.status}${a.tickets.length ? ` ${a.tickets.join(',')}` : ''}  completed ${a.completed}  failed ${a.failed}  last ${a.last_heartbeat ?? '-'}${a.lease_expired ? '  LEASE EXPIRED' : ''}`).join('\n');
      return print(ctx, { agents: rows }, text);
    },
  },
  pause: {
    usage: 'Usage: orchestrate pause [--reason TEXT] [--id ID] [--json]',
    summary: 'coordinating | blocked → paused: no new claims; running tickets may finish',
    options: { ...ID, reason: { type: 'string' } },
    async run(ctx) {
      const s = await verbs.pause(ctx.store, await sessionOf(ctx), str(ctx.values, 'reason') ?? null);
      return print(ctx, { id: s.id, status: s.status, revision: s.revision }, sessionLine(s));
    },
  },
  resume: {
    usage: 'Usage: orchestrate resume [--release] [--reason TEXT] [--id ID] [--json]',
    summary: 'paused | blocked → coordinating; repair the event log from the state; re-offer orphaned tickets',
    details: 'The state file is the truth: for each ticket whose status differs from its last logged event, one\n`reconcile` event is appended; lost log lines are recorded in one `reconcile` event, and events above the\nstate revision (a writer died) are discarded. A second resume finds nothing. Running tickets whose lease\nexpired are offered again; --release offers every running ticket again now, whatever its lease (after a\ncrash, when no agent is alive).',
    options: { ...ID, reason: { type: 'string' }, release: { type: 'boolean' } },
    async run(ctx) {
      const r = await verbs.resume(ctx.store, await sessionOf(ctx), { reason: str(ctx.values, 'reason') ?? null, release: ctx.values.release === true });
      const { drift } = r;
      const lines = [sessionLine(r.state)];
      for (const d of drift.tickets) lines.push(`reconciled ${d.ticket}: log said ${d.logged}, state says ${d.state}`);
      for (const g of drift.lost) lines.push(`recorded lost log lines: seq ${g.from === g.to ? g.from : `${g.from}-${g.to}`}`);
      if (drift.uncommitted) lines.push(`discarded ${drift.uncommitted} event(s) above the state revision`);
      if (r.reoffered.length) lines.push(`re-offered (lease expired): ${r.reoffered.join(', ')}`);
      if (r.released.length) lines.push(`released: ${r.released.join(', ')}`);
      for (const g of r.git) lines.push(`git: ${g}`);
      if (lines.length === 1) lines.push('event log agrees with the state');
      return print(
        ctx,
        { id: r.state.id, status: r.state.status, revision: r.state.revision, reoffered: r.reoffered, released: r.released, reconciled: drift.tickets, lost: drift.lost, discarded_events: drift.uncommitted, mismatches: r.mismatches, git: r.git },
        lines.join('\n'),
      );
    },
  },
  stop: {
    usage: 'Usage: orchestrate stop [--reason TEXT] [--id ID] [--json]',
    summary: 'stop the session for good (final); the state and log are kept',
    options: { ...ID, reason: { type: 'string' } },
    async run(ctx) {
      const s = await verbs.stop(ctx.store, await sessionOf(ctx), str(ctx.values, 'reason') ?? null);
      return print(ctx, { id: s.id, status: s.status, revision: s.revision }, sessionLine(s));
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
  rollback: {
    usage: 'Usage: orchestrate rollback --ticket T [--id ID] [--json]',
    summary: "git revert (never reset) of exactly that ticket's recorded commits; the ticket goes back to pending",
    options: { ...ID, ticket: { type: 'string' } },
    async run(ctx) {
      const r = await verbs.rollback(ctx.store, await sessionOf(ctx), need(ctx.values, 'ticket', this));
      return print(ctx, r, `rolled back ${r.ticket}: reverted ${r.reverted.map((c) => c.slice(0, 12)).join(', ')}; HEAD ${r.head?.slice(0, 12) ?? '-'}`);
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
      const { resourcesOf } = await import('../runtime/resources.ts');
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
        const { loadPlan } = await import('../definitions/plan-load.ts');
        let plan = loadPlan(path.resolve(ctx.opts.cwd, planFile), planFile);
        if (priorities.length) plan = (await import('../runtime/plan-groups.ts')).selectPriorities(plan, priorities);
        tickets = plan.tickets;
        agents = plan.agents;
        strategy = plan.strategy;
      } else {
        if (priorities.length) throw usageError(this, '--priority goes with --plan (for a session, pass it to `init`)');
        session = (await loadSession(ctx.store, await sessionOf(ctx))).state;
        tickets = scope === 'all' ? (await import('../runtime/scheduler/from-state.ts')).schedulableTickets(session) : (await import('../runtime/parallelism.ts')).remainingTickets(session);
        agents = session.agents;
        strategy = session.strategy;
      }
      // the session's claim limit (set at activate/adjust), shown beside the plan of its remaining tickets
      const limit = session ? parallelismOf(session) : null;
      const limitJson = limit ? { claimLimit: limit.limit, claimLimitSource: limit.source } : {};
      const limitLine = limit ? `claim limit: ${limit.limit} running at once (${limit.source})\n` : '';
      const { schedule } = await import('../runtime/scheduler/schedule.ts');
      if (tickets.length === 0) return print(ctx, { tickets: 0, groups: [], agents: [], makespan: 0, ...limitJson }, `nothing left to schedule\n${limitLine}`);
      const r = schedule(tickets, { agents: agentsFlag ?? agents, strategy: strategyOverride ?? strategy });
      const text = (await views.scheduleText()).formatSchedule(r);
      return print(ctx, { ...r, ...limitJson }, text + limitLine);
    },
  },
  export: {
    usage: 'Usage: orchestrate export [--log FILE] [--id ID] [--json]',
    summary: "print a session as the file store keeps it (YAML; --log FILE also writes its event log as JSONL)",
    details: 'The same YAML whichever store holds the session (files or PostgreSQL): to move a session, export it\nand `import-state` it where it should live. --json prints {state, events}.',
    options: { ...ID, log: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const { exportSession } = await import('../runtime/transfer.ts');
      const x = await exportSession(ctx.store, await sessionOf(ctx));
      const log = str(ctx.values, 'log');
      if (log !== undefined) (await import('../util/atomic-write.ts')).writeFileAtomic(path.resolve(ctx.opts.cwd, log), x.jsonl);
      if (ctx.json) return print(ctx, { state: x.state, events: x.events }, '');
      ctx.out.write(x.yaml);
      return 0;
    },
  },
  'import-state': {
    usage: 'Usage: orchestrate import-state FILE [--log LOG] [--json]',
    summary: 'create a session from a state file (from `export`, or .orchestration/sessions/ID.yaml) and its event log, in the store this call uses',
    details: 'LOG defaults to the log beside FILE in .orchestration/logs/. The log must hold every event 1…revision\n(run `resume` where the session lives first if it was cut). Refused when the session exists here.',
    positionals: 1,
    options: { log: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const file = ctx.positionals[0];
      if (file === undefined) throw usageError(this, 'Missing FILE');
      const log = str(ctx.values, 'log');
      const { importSession } = await import('../runtime/transfer.ts');
      const r = await importSession(ctx.store, path.resolve(ctx.opts.cwd, file), log === undefined ? null : path.resolve(ctx.opts.cwd, log), ctx.store.display);
      return print(ctx, { ...r, store: ctx.store.backend.kind, location: ctx.store.backend.location }, `imported ${r.id} (revision ${r.revision}, ${r.events} events) into ${ctx.store.backend.location}`);
    },
  },
  sessions: {
    usage: 'Usage: orchestrate sessions [--json]',
    summary: 'list sessions (the current one is marked *)',
    options: {},
    async run(ctx) {
      const rows = await verbs.listSessions(ctx.store, await listSessionIds(ctx.store), await readCurrent(ctx.store));
      const text = rows.length === 0 ? 'no sessions' : rows.map((r) => `${r.current ? '*' : ' '} ${r.id}  ${r.status}  ${r.percentage}%  ${r.tickets} tickets  ${r.title}${r.error ? `  (${r.error})` : ''}`).join('\n');
      return print(ctx, { sessions: rows }, text);
    },
  },
};

/** Verbs whose logic lives in the colleague-owned views, wired when those modules provide it. */
async function optionalVerb(_name: string): Promise<Verb | undefined> {
  return undefined;
}

function verbHelp(name: string, v: Verb): string {
  return `${v.usage}\n\n${v.summary}.\n${v.details ? `\n${v.details}\n` : ''}${EXIT_NOTE}`;
}

function globalHelp(): string {
  const names = Object.keys(VERBS).sort();
  const rows = names.map((n) => `  ${n.padEnd(12)} ${VERBS[n]!.summary}`);
  return `${GLOBAL_USAGE}${rows.join('\n')}\n\nRun \`orchestrate VERB --help\` for a verb's flags.\n${EXIT_NOTE}`;
}

/**
 * The `orchestrate` CLI entry point: `main({argv, cwd, stdout, stderr, env}) → exit code`. Never calls
 * process.exit. Errors: ToolError → its diagnostics, message and hint on stderr, its exit code.
 */
export async function main(opts: MainOptions): Promise<ExitCode> {
  const env = opts.env ?? {};
  const [name, ...rest] = opts.argv;
  try {
    if (name === '--version' && rest.length === 0) {
      opts.stdout.write(`orchestrate ${(await import('../version.ts')).VERSION} (build-commands)\n`);
      return 0;
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      opts.stdout.write(globalHelp());
      return name === undefined ? 1 : 0;
    }
    const verb = VERBS[name] ?? (await optionalVerb(name));
    if (!verb) throw new ToolError('InvalidArguments', `Usage: orchestrate VERB [ARGS] [--json]\nUnknown verb \`${name}\`, expected one of ${Object.keys(VERBS).sort().map((v) => `\`${v}\``).join(', ')}`);
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: { ...verb.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, store: { type: 'string' } }, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
    } catch (e) {
      const allowed = Object.keys(verb.options).map((k) => `--${k}`).concat('--json', '--help', '--store');
      throw usageError(verb, `${(e as Error).message.split('\n')[0]}; allowed flags: ${allowed.join(', ')}`);
    }
    if (parsed.values.help === true) {
      opts.stdout.write(verbHelp(name, verb));
      return 0;
    }
    if (parsed.positionals.length > (verb.positionals ?? 0)) throw usageError(verb, `Unexpected argument \`${parsed.positionals[verb.positionals ?? 0]}\``);
    resolveTextFiles(parsed.values, opts.cwd, verb.usage);
    // a caller kept waiting for the lock says so on a terminal (isTTY is asked only then: it loads node:tty)
    const store = openStore(opts.cwd, env, (line) => opts.stderr.isTTY === true && opts.stderr.write(`${line}\n`), str(parsed.values, 'store'));
    try {
      return await verb.run({ opts, env, values: parsed.values, positionals: parsed.positionals, json: parsed.values.json === true, store, out: opts.stdout });
    } finally {
      await closeStore(store);
    }
  } catch (e) {
    return reportError(e, opts.stderr, env);
  }
}
