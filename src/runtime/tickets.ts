import { ToolError } from '../diagnostics/errors.ts';
import { chooseNext } from './scheduler/choose-next.ts';
import { parallelismOf } from './parallelism-limit.ts';
import { autoComplete } from './session.ts';
import { outOfAttempts, settingsOf } from './settings.ts';
import { HELD_TICKET_STATUSES, RUNNING_TICKET_STATUSES, type Blocker, type SessionState, type TicketEvidence, type TicketState } from './state.ts';
import type { TxContext } from './store/store.ts';
import { claimPriorityKeys } from './store/priorities.ts';

/**
 * Ticket changes, each applied to a draft inside a store transaction (`transact`). They throw ToolError
 * `InvalidTransition` / `InvalidArguments` for a change that is not allowed now; the draft is then dropped
 * and the state file stays unchanged.
 */

/** Default lease of a claim, in ms (15 minutes). */
export const DEFAULT_LEASE_MS = 15 * 60_000;

/** True for a ticket an agent is working on (`claimed` / `in_progress`). */
export function isRunning(t: TicketState): boolean {
  return RUNNING_TICKET_STATUSES.includes(t.status);
}

/** The ticket with `id`. @throws ToolError `InvalidArguments` when there is none. */
export function findTicket(state: SessionState, id: string): TicketState {
  const t = state.tickets.find((x) => x.id === id);
  if (!t) throw new ToolError('InvalidArguments', `No ticket \`${id}\` in session \`${state.id}\``);
  return t;
}

/** Clears the fields of a claim (the ticket keeps `agent` as its last holder). */
export function clearLease(t: TicketState): void {
  t.lease_expires_at = null;
  t.claimed_at = null;
  t.heartbeat_at = null;
}

/**
 * Returns every running ticket of `draft` for which `pick` is true to `pending` (claimable again), logging one
 * event `verb` each (`before` = its running status, `after` = `pending`, `data.lease_expires_at` = the lease it
 * had). The ticket keeps `agent` as its last holder. Returns the ids, in plan order.
 */
function reoffer(draft: SessionState, tx: TxContext, verb: string, pick: (t: TicketState) => boolean): string[] {
  const out: string[] = [];
  for (const t of draft.tickets) {
    if (!isRunning(t) || !pick(t)) continue;
    const before = t.status;
    const lease = t.lease_expires_at;
    t.status = 'pending';
    clearLease(t);
    tx.emit({ agent: t.agent, verb, ticket: t.id, before, after: 'pending', data: { lease_expires_at: lease } });
    out.push(t.id);
  }
  return out;
}

/** True when `t` is running and its lease ended at or before `nowMs` (ms since the epoch). */
function leaseLapsed(t: TicketState, nowMs: number): boolean {
  return isRunning(t) && t.lease_expires_at !== null && Date.parse(t.lease_expires_at) <= nowMs;
}

/**
 * Returns every running ticket whose lease ended at or before `tx.nowMs` to `pending` (claimable again),
 * logging one `expire` event each. A running ticket without a lease is left alone. Returns the ids.
 */
export function expireLeases(draft: SessionState, tx: TxContext): string[] {
  return reoffer(draft, tx, 'expire', (t) => leaseLapsed(t, tx.nowMs));
}

/**
 * Returns every running ticket to `pending` now, whatever its lease (after a crash, when no agent is alive),
 * logging one `release` event each. Returns the ids.
 */
export function releaseRunning(draft: SessionState, tx: TxContext): string[] {
  return reoffer(draft, tx, 'release', () => true);
}

/** Result of {@link claimNext}: the claimed ticket, or null with a reason (and a machine code). */
export interface ClaimResult {
  ticket: TicketState | null;
  reason?: string;
  code: string;
}

/**
 * Claims the best ready ticket for `agent` (scheduler's `chooseNext`: all own dependencies completed, no
 * running ticket sharing a file, longest remaining path first, then priority), after expiring lapsed leases.
 * Sets status `claimed`, the lease (`leaseMs`), `attempts + 1`, and `checkpoint` (git HEAD or null).
 * Returns `{ticket: null, reason, code}` when nothing can be claimed now: session not running (code = its
 * status), `agent` already holds a running ticket (code `holds`: a worker holds at most one ticket),
 * parallelism limit (code `limit`; the reason names the limit and its source, see `parallelismOf`),
 * waiting on dependencies / files, all done. `preview`: what {@link previewClaim} answered on this same state
 * object, if it did (saves choosing twice). `satisfied`: the completed tickets of other sessions this one
 * `requires` (`SESSION:TICKET`), see {@link pickTicket}.
 */
export function claimNext(draft: SessionState, tx: TxContext, agent: string, leaseMs: number, checkpoint: string | null, preview?: ClaimResult, satisfied?: ReadonlySet<string>): ClaimResult {
  if (draft.status !== 'coordinating') return notCoordinating(draft);
  const expired = expireLeases(draft, tx);
  const held = holding(draft, agent);
  if (held) return held;
  // A preview of this very object (not a copy: the file did not change since), with no lease expiring since,
  // already made the choice.
  const pick = preview?.ticket && expired.length === 0 && draft.tickets.includes(preview.ticket) ? preview : pickTicket(draft, satisfied);
  if (!pick.ticket) return pick;
  takeTicket(draft, tx, pick.ticket, agent, leaseMs, checkpoint);
  return { ticket: pick.ticket, code: 'ok' };
}

/**
 * Makes ticket `t` (chosen by the scheduler) claimed by `agent`: status `claimed`, the lease (`leaseMs` from
 * now), `attempts + 1`, `checkpoint` (also the session's last HEAD seen when `git` is kept); one `claim` event.
 * `draft` needs only the session fields (`git`).
 */
export function takeTicket(draft: SessionState, tx: TxContext, t: TicketState, agent: string, leaseMs: number, checkpoint: string | null): void {
  const before = t.status;
  t.status = 'claimed';
  t.agent = agent;
  t.claimed_at = tx.now;
  t.heartbeat_at = tx.now;
  t.lease_expires_at = new Date(tx.nowMs + leaseMs).toISOString();
  t.started_at ??= tx.now;
  t.attempts += 1;
  t.progress = 0;
  t.checkpoint = checkpoint;
  if (checkpoint && draft.git) draft.git.head = checkpoint;
  t.failure_reason = null;
  tx.emit({ agent, verb: 'claim', ticket: t.id, before, after: 'claimed', data: { lease_expires_at: t.lease_expires_at, ...(checkpoint ? { checkpoint } : {}), host: tx.host } });
}

/**
 * What {@link claimNext} would do at `nowMs` (ms since the epoch), without changing `state`: `changes` is true
 * when it would write (a lease to expire, or a ticket to take: then `ticket` is that ticket, unchanged);
 * otherwise the result is exactly claimNext's answer. Lets `claim` answer idle polls without the lock.
 */
export function previewClaim(state: SessionState, nowMs: number, agent?: string, satisfied?: ReadonlySet<string>): ClaimResult & { changes: boolean } {
  if (state.status !== 'coordinating') return { ...notCoordinating(state), changes: false };
  if (state.tickets.some((t) => leaseLapsed(t, nowMs))) return { ticket: null, code: 'expire', reason: 'leases to expire', changes: true };
  const held = agent === undefined ? null : holding(state, agent);
  if (held) return { ...held, changes: false };
  const pick = pickTicket(state, satisfied);
  return { ...pick, changes: pick.ticket !== null };
}

/** claimNext's answer when `agent` already holds a running ticket (code `holds`), else null. */
function holding(state: SessionState, agent: string): ClaimResult | null {
  const t = state.tickets.find((x) => isRunning(x) && x.agent === agent);
  return t ? holdsAnswer(agent, t.id, t.status) : null;
}

/** claimNext's answer when `agent` already holds running ticket `id` in status `status` (code `holds`). */
export function holdsAnswer(agent: string, id: string, status: string): ClaimResult {
  return { ticket: null, code: 'holds', reason: `agent ${agent} already holds ${id} (${status}); a worker holds one ticket at a time: complete, fail or block it first` };
}

/** claimNext's answer when `running` tickets run and the session's parallelism limit allows no more, else null. */
export function limitAnswer(state: Pick<SessionState, 'agents' | 'strategy' | 'parallelism'>, running: number): ClaimResult | null {
  const { limit, source } = parallelismOf(state);
  return running >= limit ? { ticket: null, code: 'limit', reason: `parallelism limit reached: ${running} running, limit ${limit} (${source})` } : null;
}

/** claimNext's answer for a session that is not `coordinating` (code = its status). */
export function notCoordinating(state: Pick<SessionState, 'status'>): ClaimResult {
  const hint = state.status === 'planned' ? ' (run `activate` first)' : state.status === 'paused' || state.status === 'blocked' ? ' (wait, or run `resume`)' : '';
  return { ticket: null, code: state.status, reason: `session is ${state.status}${hint}` };
}

/**
 * The requirements on other sessions (`SESSION:TICKET`) of ticket `t` that are not met: not in `satisfied`
 * (the completed tickets of the sessions it requires, see `satisfiedRequirements` in `cross-session.ts`; undefined = none).
 */
export function unmetRequirements(t: TicketState, satisfied: ReadonlySet<string> | undefined): string[] {
  return (t.requires ?? []).filter((r) => !satisfied?.has(r));
}

/**
 * The ticket to claim next in `state` (not changed), or null with a reason: the parallelism limit, then
 * chooseNext. A ticket whose requirements on other sessions are not all in `satisfied` is not offered (code
 * `external` when that is all that waits, naming them).
 */
export function pickTicket(state: SessionState, satisfied?: ReadonlySet<string>): ClaimResult {
  const full = limitAnswer(state, state.tickets.filter(isRunning).length);
  if (full) return full;
  const completed = new Set<string>();
  const runningIds = new Set<string>();
  const unavailable = new Set<string>();
  for (const t of state.tickets) {
    if (t.status === 'completed') completed.add(t.id);
    else if (isRunning(t)) runningIds.add(t.id);
    else if (HELD_TICKET_STATUSES.includes(t.status)) unavailable.add(t.id);
  }
  const external: string[] = [];
  for (const t of state.tickets) {
    if (t.requires === undefined || t.status !== 'pending') continue;
    const unmet = unmetRequirements(t, satisfied);
    if (unmet.length === 0) continue;
    unavailable.add(t.id);
    external.push(...unmet.map((r) => `${t.id} needs ${r}`));
  }
  const schedulable = state.tickets.map((t) => ({ id: t.id, estimate: t.estimate_minutes, priority: t.priority, dependencies: t.dependencies, files: t.files, ref: t }));
  const choice = chooseNext(schedulable, { completed, running: runningIds, unavailable }, { priorityKeys: claimPriorityKeys(state) });
  if (choice.ticket) return { ticket: choice.ticket.ref, code: 'ok' };
  if (external.length > 0 && (choice.code === 'unavailable' || choice.code === 'dependencies' || choice.code === 'running')) {
    const also = runningIds.size > 0 ? ` (${runningIds.size} running here)` : '';
    return { ticket: null, code: 'external', reason: `waiting on other sessions: ${external.slice(0, 5).join(', ')}${external.length > 5 ? ', …' : ''}${also}` };
  }
  return { ticket: null, code: choice.code, reason: choice.reason };
}

/**
 * Resolves one blocker by id (`unblock --blocker B3`): any blocker, including those with no ticket (deadlock)
 * or on a ticket that is not `blocked` (a stalled or failed one recorded by escalation). When it was the last
 * open blocker of a `blocked` ticket, that ticket returns to `pending`. Logs one `unblock` event.
 * @throws ToolError `InvalidArguments` for an unknown id; `InvalidTransition` when it is already resolved.
 */
export function resolveBlocker(draft: SessionState, tx: TxContext, input: { blocker: string; resolution: string | null; agent: string | null }): Blocker {
  const b = draft.blockers.find((x) => x.id === input.blocker);
  if (!b) {
    const open = draft.blockers.filter((x) => x.resolved_at === null).map((x) => x.id);
    throw new ToolError('InvalidArguments', `No blocker \`${input.blocker}\` in session \`${draft.id}\`; open blockers: ${open.join(', ') || 'none'}`);
  }
  if (b.resolved_at !== null) throw new ToolError('InvalidTransition', `Blocker \`${b.id}\` was resolved at ${b.resolved_at}`);
  b.resolved_at = tx.now;
  b.resolution = input.resolution;
  const t = b.ticket === null ? undefined : draft.tickets.find((x) => x.id === b.ticket);
  const reopen = t !== undefined && t.status === 'blocked' && !draft.blockers.some((x) => x.ticket === t.id && x.resolved_at === null);
  if (reopen) {
    t.status = 'pending';
    t.blocked_reason = null;
    clearLease(t);
  }
  tx.emit({ agent: input.agent, verb: 'unblock', ticket: b.ticket, before: reopen ? 'blocked' : null, after: reopen ? 'pending' : null, data: { resolution: input.resolution, blockers: [b.id] } });
  return b;
}

/**
 * The running ticket(s) of `agent` (or the one named `ticketId`, which must be held by `agent`).
 * For `complete` and `fail` only, a ticket whose lease lapsed but that nobody re-claimed still counts as the
 * agent's (status `pending`, `agent` = this agent): a late agent can still finish it — but only while every
 * dependency is still completed (a rollback may have re-opened one). `heartbeat` never takes a ticket out of
 * `pending`: the agent must claim again.
 * @throws ToolError `InvalidTransition` when the ticket is held by another agent or is not running.
 */
export function heldTicket(draft: SessionState, agent: string, ticketId: string | undefined, verb: string): TicketState {
  if (ticketId === undefined) {
    const mine = draft.tickets.filter((t) => isRunning(t) && t.agent === agent);
    if (mine.length === 1) return mine[0]!;
    if (mine.length === 0) throw new ToolError('InvalidTransition', `Agent \`${agent}\` holds no running ticket; \`${verb}\` needs one (pass --ticket)`);
    throw new ToolError('InvalidArguments', `Agent \`${agent}\` holds ${mine.length} tickets (${mine.map((t) => t.id).join(', ')}); pass --ticket`);
  }
  const t = findTicket(draft, ticketId);
  if (t.agent !== agent) {
    throw new ToolError('InvalidTransition', t.agent ? `Ticket \`${t.id}\` is ${t.status} and held by \`${t.agent}\`, not by \`${agent}\`` : `Ticket \`${t.id}\` is ${t.status} and held by no agent; \`${verb}\` needs the agent that claimed it`);
  }
  if (isRunning(t)) return t;
  if (t.status === 'pending' && t.attempts > 0) {
    if (verb === 'heartbeat') {
      throw new ToolError('InvalidTransition', `Lease of \`${t.id}\` expired and it is \`pending\` again; \`heartbeat\` does not re-take it`, { hint: 'Finish with `complete` / `fail` if the work is done, or stop: the coordinator hands the ticket out again. State file unchanged.' });
    }
    const open = t.dependencies.filter((d) => draft.tickets.find((x) => x.id === d)?.status !== 'completed');
    if (open.length > 0) throw new ToolError('InvalidTransition', `Lease of \`${t.id}\` expired and its dependencies are no longer completed: ${open.map((d) => `\`${d}\``).join(', ')}`, { hint: 'Stop: the ticket will be handed out again once they are. State file unchanged.' });
    return t; // lease lapsed, not re-claimed yet
  }
  throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` is \`${t.status}\`; \`${verb}\` needs a claimed or in-progress ticket`);
}

/** Options of {@link heartbeat}. `progress` 0–100. */
export interface HeartbeatInput {
  agent: string;
  ticket?: string;
  progress?: number;
  note?: string;
  leaseMs: number;
}

/**
 * Extends the lease of the agent's running ticket, records progress / note, `claimed` → `in_progress`.
 * @throws ToolError `InvalidTransition` when the agent holds no running ticket (a lapsed lease is not re-taken).
 */
export function heartbeat(draft: SessionState, tx: TxContext, input: HeartbeatInput): TicketState {
  const t = heldTicket(draft, input.agent, input.ticket, 'heartbeat');
  const before = t.status;
  t.status = 'in_progress';
  t.heartbeat_at = tx.now;
  t.lease_expires_at = new Date(tx.nowMs + input.leaseMs).toISOString();
  if (input.progress !== undefined) t.progress = input.progress;
  if (input.note !== undefined) t.note = input.note;
  tx.emit({
    agent: input.agent,
    verb: 'heartbeat',
    ticket: t.id,
    before,
    after: t.status,
    data: { lease_expires_at: t.lease_expires_at, ...(input.progress !== undefined ? { progress: input.progress } : {}), ...(input.note !== undefined ? { note: input.note } : {}) },
  });
  return t;
}

/** Evidence and summary given to {@link completeTicket}. */
export interface CompleteInput {
  ticket: string;
  agent: string;
  summary: string;
  evidence: TicketEvidence;
}

/**
 * Records the agent's result: the ticket becomes `completed` (progress 100) — or `review` under
 * `comprehensive` validation, where `approve` completes it — with its evidence and summary; then completes
 * the session when every ticket is completed. `evidence.given` is set (false) only when neither a commit nor a test
 * result was given (allowed under `standard` only: strict levels verify before the lock, see `verbs.complete`).
 * @throws ToolError `InvalidArguments` when `test_exit` is non-zero (use `fail`) or the summary is empty;
 *   `InvalidTransition` when the ticket is not held by the agent.
 */
export function completeTicket(draft: SessionState, tx: TxContext, input: CompleteInput): TicketState {
  checkCompleteInput(input);
  const t = heldTicket(draft, input.agent, input.ticket, 'complete');
  recordCompletion(draft, tx, t, input);
  autoComplete(draft, tx, input.agent);
  return t;
}

/**
 * Refuses a completion that can never be recorded, whatever the state.
 * @throws ToolError `InvalidArguments` when `test_exit` is non-zero (use `fail`) or the summary is empty.
 */
export function checkCompleteInput(input: CompleteInput): void {
  if (input.evidence.test_exit !== null && input.evidence.test_exit !== 0) {
    throw new ToolError('InvalidArguments', `Test command exited ${input.evidence.test_exit}; a ticket completes only with passing tests (use \`fail\`)`);
  }
  if (input.summary.trim() === '') throw new ToolError('InvalidArguments', 'An empty `--summary`; say in one line what was done');
}

/**
 * Records the result on ticket `t` (held by `input.agent`): `completed` (or `review` under comprehensive
 * validation), progress 100, summary and evidence, lease cleared; one `complete` event. `draft` needs only the
 * session fields (`settings`). Does not complete the session (see `autoComplete`).
 */
export function recordCompletion(draft: SessionState, tx: TxContext, t: TicketState, input: CompleteInput): void {
  const before = t.status;
  const gated = settingsOf(draft).validation === 'comprehensive';
  const given = input.evidence.commits.length > 0 || input.evidence.test_exit !== null;
  const evidence: TicketEvidence = given ? input.evidence : { ...input.evidence, given: false };
  t.status = gated ? 'review' : 'completed';
  t.completed_at = tx.now;
  t.progress = 100;
  t.summary = input.summary;
  t.evidence = evidence;
  t.reviewer = null;
  clearLease(t);
  tx.emit({ agent: input.agent, verb: 'complete', ticket: t.id, before, after: t.status, data: { evidence, summary: input.summary } });
}

/**
 * Records that the agent gave up on its ticket: `failed` with `reason` — or, with `retry` and attempts left
 * (see `settings.ts`), back to `pending` for another attempt at once (event `retry`). Out of attempts, a
 * `retry` request still fails the ticket (the event says so).
 */
export function failTicket(draft: SessionState, tx: TxContext, input: { ticket: string; agent: string; reason: string; retry: boolean }): TicketState {
  const t = heldTicket(draft, input.agent, input.ticket, 'fail');
  const before = t.status;
  const again = input.retry && !outOfAttempts(draft, t);
  t.status = again ? 'pending' : 'failed';
  t.failure_reason = input.reason;
  if (!again) t.completed_at = tx.now;
  clearLease(t);
  tx.emit({ agent: input.agent, verb: again ? 'retry' : 'fail', ticket: t.id, before, after: t.status, data: { reason: input.reason, attempts: t.attempts, ...(input.retry && !again ? { out_of_attempts: true } : {}) } });
  return t;
}

/** Next blocker id: `B1`, `B2`, … */
function nextBlockerId(draft: SessionState): string {
  let max = 0;
  for (const b of draft.blockers) {
    const n = Number(/^B(\d+)$/.exec(b.id)?.[1] ?? 0);
    if (n > max) max = n;
  }
  return `B${max + 1}`;
}

/** Adds a blocker record to the session and returns it (no event: the caller's event covers it). */
export function addBlocker(draft: SessionState, tx: TxContext, b: Omit<Blocker, 'id' | 'created_at' | 'resolved_at' | 'resolution'>): Blocker {
  const blocker: Blocker = { id: nextBlockerId(draft), ...b, created_at: tx.now, resolved_at: null, resolution: null };
  draft.blockers.push(blocker);
  return blocker;
}

/**
 * Blocks ticket `ticket` (any status but `completed`) with `reason`; records a blocker. A running ticket keeps
 * its agent (the lease is cleared so it does not expire while blocked).
 */
export function blockTicket(draft: SessionState, tx: TxContext, input: { ticket: string; agent: string | null; reason: string }): Blocker {
  const t = findTicket(draft, input.ticket);
  if (t.status === 'completed' || t.status === 'blocked') throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` is \`${t.status}\`; it cannot be blocked`);
  const before = t.status;
  t.status = 'blocked';
  t.blocked_reason = input.reason;
  t.lease_expires_at = null;
  const b = addBlocker(draft, tx, { kind: 'ticket', ticket: t.id, agent: input.agent, reason: input.reason });
  tx.emit({ agent: input.agent, verb: 'block', ticket: t.id, before, after: 'blocked', data: { reason: input.reason, blocker: b.id } });
  return b;
}

/**
 * Unblocks ticket `ticket`: back to `pending` (claimable), resolving its open blockers with `resolution`.
 * @throws ToolError `InvalidTransition` when the ticket is not blocked.
 */
export function unblockTicket(draft: SessionState, tx: TxContext, input: { ticket: string; resolution: string | null; agent: string | null }): TicketState {
  const t = findTicket(draft, input.ticket);
  if (t.status !== 'blocked') throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` is \`${t.status}\`, not blocked`);
  t.status = 'pending';
  t.blocked_reason = null;
  clearLease(t);
  const resolved: string[] = [];
  for (const b of draft.blockers) {
    if (b.ticket === t.id && b.resolved_at === null) {
      b.resolved_at = tx.now;
      b.resolution = input.resolution;
      resolved.push(b.id);
    }
  }
  tx.emit({ agent: input.agent, verb: 'unblock', ticket: t.id, before: 'blocked', after: 'pending', data: { resolution: input.resolution, blockers: resolved } });
  return t;
}
