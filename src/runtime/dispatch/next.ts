import { transition } from '../session.ts';
import { parallelismOf } from '../parallelism-limit.ts';
import { outOfAttempts, settingsOf } from '../settings.ts';
import type { SessionState, TicketState } from '../state.ts';
import { claimNext, clearLease, expireLeases, isRunning, pickTicket, unmetRequirements } from '../tickets.ts';
import { retryTicket } from '../gates.ts';
import type { TxContext } from '../store/store.ts';
import type { AgentCatalog } from './agent-types.ts';
import { reviewPrompt, spawnDescription, workerPrompt } from './prompt.ts';

/**
 * The dispatcher (`orchestrate next`, docs/contracts.md §6): one decision of what a coordinator does now,
 * applied to a draft inside one store transaction. The coordinator only carries out the actions.
 */

/** Start an agent for a ticket (`spawn`) or for the review of one (`review`): Agent-tool input, filled in. */
export interface AgentAction {
  do: 'spawn' | 'review';
  ticket: string;
  worker: string;
  subagent_type: string;
  description: string;
  prompt: string;
  /**
   * Always true: on Claude Code 2.1.197 an Agent call without it runs in the foreground, so the calls of one
   * message return together when the slowest agent is done (a barrier); with it both pinned versions return
   * at once and report each completion as a `<task-notification>` (docs/e2e.md, `claude-facts.ts`).
   */
  run_in_background: true;
  /** Set when the ticket's own agent type exists nowhere and the session's worker agent stands in. */
  fallback?: { wanted: string; reason: string };
}

/** One thing the coordinator does now. */
export type NextAction =
  | AgentAction
  | { do: 'wait'; running: Array<{ worker: string; ticket: string }>; waiting_on?: string[] }
  | { do: 'report'; status: 'completed' | 'failed' }
  | { do: 'escalate'; reason: string; blockers: Array<{ id: string; ticket: string | null; reason: string }> }
  | { do: 'stopped'; status: string; reason: string };

/** What `next` prints: the session, its progress and the actions, in order. */
export interface NextResult {
  session: string;
  status: string;
  progress: { completed: number; total: number; running: number; review: number; failed: number };
  actions: NextAction[];
}

/** Input of {@link dispatch}. */
export interface NextInput {
  /** Workers (or ticket ids) the coordinator reports as returned. */
  returned: readonly string[];
  leaseMs: number;
  /** git HEAD for the claims' checkpoint, or null. */
  checkpoint: string | null;
  agents: AgentCatalog;
  /** Completed tickets of other sessions this one requires (`SESSION:TICKET`); see `tickets.pickTicket`. */
  satisfied?: ReadonlySet<string>;
}

/** `worker-N` names in use by running tickets, and the lowest free one from `from` up. */
function freeName(prefix: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
}

/**
 * True when `name` — as the coordinator passes it to `--returned`: `WORKER:TICKET:ATTEMPT`, the first word of
 * the Agent description `next` rendered; or `WORKER:TICKET`, or a bare worker name or ticket id — names
 * `holder` working on attempt `attempt` of `ticket`. The attempt makes a late notification of a worker's
 * previous agent harmless when that worker was given the same ticket again.
 */
function names(name: string, holder: string | null, ticket: string, attempt: number): boolean {
  const parts = name.split(':');
  if (parts.length === 3) return parts[0] === holder && parts[1] === ticket && parts[2] === String(attempt);
  if (parts.length === 2) return parts[0] === holder && parts[1] === ticket;
  return name === holder || name === ticket;
}

/** Releases what returned workers still hold (`returned` events); out of attempts, the ticket fails. */
function releaseReturned(draft: SessionState, tx: TxContext, returned: readonly string[]): void {
  for (const name of returned) {
    for (const t of draft.tickets) {
      if (isRunning(t) && names(name, t.agent, t.id, t.attempts)) {
        const before = t.status;
        const failed = outOfAttempts(draft, t);
        t.status = failed ? 'failed' : 'pending';
        clearLease(t);
        t.failure_reason = 'agent returned without a result';
        if (failed) t.completed_at = tx.now;
        tx.emit({ agent: t.agent, verb: 'returned', ticket: t.id, before, after: t.status, data: { reason: 'agent returned without a result', attempts: t.attempts } });
      } else if (t.status === 'review' && t.reviewer && names(name, t.reviewer, t.id, t.attempts)) {
        tx.emit({ agent: t.reviewer, verb: 'returned', ticket: t.id, before: 'review', after: 'review', data: { reason: 'reviewer returned without a verdict' } });
        t.reviewer = null;
      }
    }
  }
}

/**
 * The first step of {@link dispatch}, before any claim (exported for the tests that compare `next` with
 * `claimNext`): in a `coordinating` or `blocked` session, expires lapsed leases, releases what returned
 * workers hold, and retries failed tickets that have attempts left.
 */
export function prepare(draft: SessionState, tx: TxContext, returned: readonly string[]): void {
  if (draft.status !== 'coordinating' && draft.status !== 'blocked') return;
  expireLeases(draft, tx);
  releaseReturned(draft, tx, returned);
  for (const t of draft.tickets) if (t.status === 'failed' && !outOfAttempts(draft, t)) retryTicket(draft, tx, { ticket: t.id, agent: null, grant: 0, auto: true });
}

/** The agent action for a worker that was just given `t`. */
function spawnAction(draft: SessionState, t: TicketState, worker: string, catalog: AgentCatalog): AgentAction {
  const s = settingsOf(draft);
  const agent = catalog.resolve(t.agent_type, s.worker_agent);
  return {
    do: 'spawn',
    ticket: t.id,
    worker,
    subagent_type: agent.subagent_type,
    description: spawnDescription(worker, t),
    prompt: workerPrompt(draft, t, worker, s.validation),
    run_in_background: true,
    ...(agent.fallback ? { fallback: agent.fallback } : {}),
  };
}

function reviewAction(draft: SessionState, t: TicketState, reviewer: string, catalog: AgentCatalog): AgentAction {
  const agent = catalog.resolve(settingsOf(draft).reviewer, settingsOf(draft).reviewer);
  return { do: 'review', ticket: t.id, worker: reviewer, subagent_type: agent.subagent_type, description: spawnDescription(reviewer, t, 'review'), prompt: reviewPrompt(draft, t, reviewer), run_in_background: true };
}

/**
 * Decides and applies what the coordinator does now (see docs/contracts.md §6 for the order): releases what
 * returned workers hold, retries failed tickets with attempts left, fills free worker slots with the
 * scheduler's choice (exactly `claimNext`, one ticket per worker), hands tickets in `review` to reviewers, and
 * ends the run when nothing runs and nothing can (`completed` / `failed` session, or `escalate`). Each ticket is
 * handed out once: called again with nothing changed, it records nothing and prints only the `wait` for what
 * runs (a hand-out the coordinator never carried out comes back when its lease lapses, or with `--returned`).
 * Pure over the draft: every change is recorded through `tx.emit` (no emit, no write).
 */
export function dispatch(draft: SessionState, tx: TxContext, input: NextInput): NextResult {
  const actions: NextAction[] = [];
  const settings = settingsOf(draft);

  prepare(draft, tx, input.returned);
  if (draft.status === 'coordinating') {
    const limit = parallelismOf(draft).limit;
    const names = new Set(draft.tickets.filter(isRunning).map((t) => t.agent ?? ''));
    let running = draft.tickets.filter(isRunning).length;
    while (running < limit) {
      const worker = freeName('worker', names);
      const r = claimNext(draft, tx, worker, input.leaseMs, input.checkpoint, undefined, input.satisfied);
      if (!r.ticket) {
        if (r.code === 'files' && settings.pause_on_conflicts) transition(draft, tx, 'paused', 'pause', null, `file conflict: ${r.reason ?? ''}`.trim());
        break;
      }
      names.add(worker);
      running++;
      const action = spawnAction(draft, r.ticket, worker, input.agents);
      if (action.fallback) tx.emit({ agent: worker, verb: 'fallback', ticket: r.ticket.id, before: null, after: null, data: { wanted: action.fallback.wanted, used: action.subagent_type, reason: action.fallback.reason } });
      actions.push(action);
    }
    const reviewers = new Set(draft.tickets.map((t) => t.reviewer ?? '').filter(Boolean));
    for (const t of draft.tickets) {
      if (t.status !== 'review' || t.reviewer) continue;
      const reviewer = freeName('reviewer', reviewers);
      reviewers.add(reviewer);
      t.reviewer = reviewer;
      tx.emit({ agent: reviewer, verb: 'review', ticket: t.id, before: 'review', after: 'review', data: { reviewer } });
      actions.push(reviewAction(draft, t, reviewer, input.agents));
    }
  }

  actions.push(...closing(draft, tx, input.satisfied));
  const running = draft.tickets.filter(isRunning);
  const count = (s: string) => draft.tickets.filter((t) => t.status === s).length;
  return {
    session: draft.id,
    status: draft.status,
    progress: { completed: count('completed'), total: draft.tickets.length, running: running.length, review: count('review'), failed: count('failed') },
    actions,
  };
}

/** The last action: wait for running agents, or end the run (report / escalate / stopped). */
function closing(draft: SessionState, tx: TxContext, satisfied: ReadonlySet<string> | undefined): NextAction[] {
  const running = draft.tickets.filter(isRunning).map((t) => ({ worker: t.agent ?? '', ticket: t.id }));
  for (const t of draft.tickets) if (t.status === 'review' && t.reviewer) running.push({ worker: t.reviewer, ticket: t.id });
  if (draft.status === 'completed') return [{ do: 'report', status: 'completed' }];
  if (draft.status === 'failed') return [{ do: 'report', status: 'failed' }];
  if (draft.status === 'planned') return [{ do: 'stopped', status: 'planned', reason: 'session not started: run activate' }];
  if (draft.status === 'paused' || draft.status === 'stopped') {
    return [...(running.length ? [{ do: 'wait' as const, running }] : []), { do: 'stopped', status: draft.status, reason: draft.status_reason ?? draft.status }];
  }
  const external = draft.status === 'coordinating' ? draft.tickets.filter((t) => t.status === 'pending').flatMap((t) => unmetRequirements(t, satisfied)) : [];
  if (running.length > 0 || external.length > 0) return [{ do: 'wait', running, ...(external.length ? { waiting_on: [...new Set(external)] } : {}) }];
  // Nothing runs. Can anything still run? Blocked tickets need a person; failed ones out of attempts end the run.
  const open = draft.blockers.filter((b) => b.resolved_at === null).map((b) => ({ id: b.id, ticket: b.ticket, reason: b.reason }));
  const blocked = draft.tickets.filter((t) => t.status === 'blocked');
  if (draft.status === 'blocked' || blocked.length > 0) {
    return [{ do: 'escalate', reason: draft.status === 'blocked' ? draft.status_reason ?? 'session blocked' : `${blocked.length} blocked ticket(s): ${blocked.map((t) => `${t.id} (${t.blocked_reason ?? 'no reason'})`).join(', ')}`, blockers: open }];
  }
  const failed = draft.tickets.filter((t) => t.status === 'failed');
  if (failed.length > 0) {
    transition(draft, tx, 'failed', 'session-failed', null, failed.map((t) => `${t.id} failed after ${t.attempts} attempt(s): ${t.failure_reason ?? 'no reason'}`).join('; '));
    return [{ do: 'report', status: 'failed' }];
  }
  const pick = pickTicket(draft, satisfied);
  return [{ do: 'escalate', reason: `nothing runs and nothing can start: ${pick.reason ?? pick.code}`, blockers: open }];
}
