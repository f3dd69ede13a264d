import { TEXT_FILE_HELP } from '../text-files.ts';
import * as verbs from '../../runtime/verbs.ts';
import { ID, intFlag, leaseFlag, list, need, print, returnedFlag, sessionOf, str, ticketArg, ticketView, usageError, type Verb } from './verb.ts';

/**
 * The ticket verbs of `orchestrate`, what agents call while they work: `claim`, `heartbeat`, `complete`, `next`,
 * the review gate (`approve`, `reject`, `gate`), `retry`, `fail`, `block`, `unblock`, `rollback`.
 */
export const TICKET_VERBS: Record<string, Verb> = {
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
      const r = await verbs.next(ctx.store, await sessionOf(ctx), { returned: returnedFlag(this, ctx.values), leaseMs: leaseFlag(this, ctx.values, ctx.env), waitMs: wait * 1000 });
      if (ctx.json) {
        ctx.out.write(`${JSON.stringify(r)}\n`);
        return 0;
      }
      const { formatNext } = await import('../../runtime/dispatch/next-text.ts');
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
      if (level === 'system' && group !== null) throw usageError(this, '--group goes with --level stream; a system gate covers the whole run');
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
  rollback: {
    usage: 'Usage: orchestrate rollback --ticket T [--id ID] [--json]',
    summary: "git revert (never reset) of exactly that ticket's recorded commits; the ticket goes back to pending",
    options: { ...ID, ticket: { type: 'string' } },
    async run(ctx) {
      const r = await verbs.rollback(ctx.store, await sessionOf(ctx), need(ctx.values, 'ticket', this));
      return print(ctx, r, `rolled back ${r.ticket}: reverted ${r.reverted.map((c) => c.slice(0, 12)).join(', ')}; HEAD ${r.head?.slice(0, 12) ?? '-'}`);
    },
  },
};
