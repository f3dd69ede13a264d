import { ToolError } from '../diagnostics/errors.ts';
import { chooseNext } from './scheduler/choose-next.ts';
import { parallelismOf } from './parallelism-limit.ts';
import { autoComplete } from './session.ts';
import { RUNNING_TICKET_STATUSES, type Blocker, type SessionState, type TicketEvidence, type TicketState } from './state.ts';
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
function clearLease(t: TicketState): void {
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
 * status), parallelism limit (code `limit`; the reason names the limit and its source, see `parallelismOf`),
 * waiting on dependencies / files, all done. `preview`: what {@link previewClaim} answered on this same state
 * object, if it did (saves choosing twice).
 */
export function claimNext(draft: SessionState, tx: TxContext, agent: string, leaseMs: number, checkpoint: string | null, preview?: ClaimResult): ClaimResult {
  if (draft.status !== 'coordinating') return notCoordinating(draft);
  const expired = expireLeases(draft, tx);
  // A preview of this very object (not a copy: the file did not change since), with no lease expiring since,
  // already made the choice.
  const pick = preview?.ticket && expired.length === 0 && draft.tickets.includes(preview.ticket) ? preview : pickTicket(draft);
  if (!pick.ticket) return pick;
  const t = pick.ticket;
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
  t.failure_reason = null;
  tx.emit({ agent, verb: 'claim', ticket: t.id, before, after: 'claimed', data: { lease_expires_at: t.lease_expires_at, ...(checkpoint ? { checkpoint } : {}) } });
  return { ticket: t, code: 'ok' };
}

/**
 * What {@link claimNext} would do at `nowMs` (ms since the epoch), without changing `state`: `changes` is true
 * when it would write (a lease to expire, or a ticket to take: then `ticket` is that ticket, unchanged);
 * otherwise the result is exactly claimNext's answer. Lets `claim` answer idle polls without the lock.
 */
export function previewClaim(state: SessionState, nowMs: number): ClaimResult & { changes: boolean } {
  if (state.status !== 'coordinating') return { ...notCoordinating(state), changes: false };
  if (state.tickets.some((t) => leaseLapsed(t, nowMs))) return { ticket: null, code: 'expire', reason: 'leases to expire', changes: true };
  const pick = pickTicket(state);
  return { ...pick, changes: pick.ticket !== null };
}

/** claimNext's answer for a session that is not `coordinating` (code = its status). */
function notCoordinating(state: SessionState): ClaimResult {
  const hint = state.status === 'planned' ? ' (run `activate` first)' : state.status === 'paused' || state.status === 'blocked' ? ' (wait, or run `resume`)' : '';
  return { ticket: null, code: state.status, reason: `session is ${state.status}${hint}` };
}

/** The ticket to claim next in `state` (not changed), or null with a reason: the parallelism limit, then chooseNext. */
function pickTicket(state: SessionState): ClaimResult {
  const running = state.tickets.filter(isRunning);
  const { limit, source } = parallelismOf(state);
  if (running.length >= limit) {
    return { ticket: null, code: 'limit', reason: `parallelism limit reached: ${running.length} running, limit ${limit} (${source})` };
  }
  const completed = new Set<string>();
  const runningIds = new Set<string>();
  const unavailable = new Set<string>();
  for (const t of state.tickets) {
    if (t.status === 'completed') completed.add(t.id);
    else if (isRunning(t)) runningIds.add(t.id);
    else if (t.status === 'failed' || t.status === 'blocked') unavailable.add(t.id);
  }
  const schedulable = state.tickets.map((t) => ({ id: t.id, estimate: t.estimate_minutes, priority: t.priority, dependencies: t.dependencies, files: t.files, ref: t }));
  const choice = chooseNext(schedulable, { completed, running: runningIds, unavailable }, { priorityKeys: claimPriorityKeys(state) });
  return choice.ticket ? { ticket: choice.ticket.ref, code: 'ok' } : { ticket: null, code: choice.code, reason: choice.reason };
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
 * A ticket whose lease lapsed but that nobody re-claimed still counts as the agent's (status `pending`,
 * `agent` = this agent, `claimed_at` cleared by expiry is tolerated): a late agent can still finish it.
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
    throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` is ${t.status}${t.agent ? ` and held by \`${t.agent}\`` : ''}, not by \`${agent}\``);
  }
  if (isRunning(t)) return t;
  if (t.status === 'pending' && t.attempts > 0) return t; // lease lapsed, not re-claimed yet
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

/** Extends the lease of the agent's ticket, records progress / note, `claimed` → `in_progress`. */
export function heartbeat(draft: SessionState, tx: TxContext, input: HeartbeatInput): TicketState {
  const t = heldTicket(draft, input.agent, input.ticket, 'heartbeat');
  const before = t.status;
  if (t.status === 'pending') {
    // re-take a lapsed, unclaimed lease — unless a running ticket now holds one of its files
    const clash = draft.tickets.find((o) => o !== t && isRunning(o) && o.files.some((f) => t.files.includes(f)));
    if (clash) throw new ToolError('InvalidTransition', `Lease of \`${t.id}\` expired and \`${clash.id}\` now holds a shared file; claim again`);
    t.claimed_at = tx.now;
  }
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
 * Marks the agent's ticket `completed` with its evidence and summary (progress 100), then completes the
 * session when every ticket is completed.
 * @throws ToolError `InvalidArguments` when `test_exit` is non-zero (use `fail`); `InvalidTransition` when
 *   the ticket is not held by the agent.
 */
export function completeTicket(draft: SessionState, tx: TxContext, input: CompleteInput): TicketState {
  if (input.evidence.test_exit !== null && input.evidence.test_exit !== 0) {
    throw new ToolError('InvalidArguments', `Test command exited ${input.evidence.test_exit}; a ticket completes only with passing tests (use \`fail\`)`);
  }
  const t = heldTicket(draft, input.agent, input.ticket, 'complete');
  const before = t.status;
  t.status = 'completed';
  t.completed_at = tx.now;
  t.progress = 100;
  t.summary = input.summary;
  t.evidence = input.evidence;
  clearLease(t);
  tx.emit({ agent: input.agent, verb: 'complete', ticket: t.id, before, after: 'completed', data: { evidence: input.evidence, summary: input.summary } });
  autoComplete(draft, tx, input.agent);
  return t;
}

/** Marks the agent's ticket `failed` with `reason`, or back to `pending` for another attempt with `retry`. */
export function failTicket(draft: SessionState, tx: TxContext, input: { ticket: string; agent: string; reason: string; retry: boolean }): TicketState {
  const t = heldTicket(draft, input.agent, input.ticket, 'fail');
  const before = t.status;
  t.status = input.retry ? 'pending' : 'failed';
  t.failure_reason = input.reason;
  if (!input.retry) t.completed_at = tx.now;
  clearLease(t);
  tx.emit({ agent: input.agent, verb: input.retry ? 'retry' : 'fail', ticket: t.id, before, after: t.status, data: { reason: input.reason } });
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
