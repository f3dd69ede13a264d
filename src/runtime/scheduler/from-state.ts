import { HELD_TICKET_STATUSES, type SessionState, type TicketState } from '../state.ts';
import type { ClaimStatus } from './choose-next.ts';
import type { SchedulableTicket } from './types.ts';

/** A session ticket as the scheduler reads it (`estimate_minutes` → `estimate`). */
export function toSchedulable(ticket: TicketState): SchedulableTicket {
  return { id: ticket.id, estimate: ticket.estimate_minutes, priority: ticket.priority, dependencies: ticket.dependencies, files: ticket.files };
}

/** Every session ticket as a {@link SchedulableTicket}, in plan order. */
export function schedulableTickets(state: SessionState): SchedulableTicket[] {
  return state.tickets.map(toSchedulable);
}

/**
 * True when `ticket` is `claimed` / `in_progress` with a live lease at `nowMs` (epoch ms). A ticket whose
 * `lease_expires_at` has passed is no longer running: it is claimable again, as state.ts specifies.
 */
export function isRunning(ticket: TicketState, nowMs: number): boolean {
  if (ticket.status !== 'claimed' && ticket.status !== 'in_progress') return false;
  if (ticket.lease_expires_at === null) return true;
  return Date.parse(ticket.lease_expires_at) > nowMs;
}

/**
 * The {@link ClaimStatus} of a session at `nowMs` (epoch ms), for `chooseNext`: `completed` tickets;
 * `running` = claimed / in progress with a live lease; `unavailable` = failed, blocked or in review; `paused` when the
 * session is `paused` or `blocked`, `stopped` when it is `completed`, `failed` or `stopped`. Expired leases
 * count as pending (claimable). O(n).
 */
export function claimStatusOf(state: SessionState, nowMs: number): ClaimStatus {
  const completed = new Set<string>();
  const running = new Set<string>();
  const unavailable = new Set<string>();
  for (const t of state.tickets) {
    if (t.status === 'completed') completed.add(t.id);
    else if (HELD_TICKET_STATUSES.includes(t.status)) unavailable.add(t.id);
    else if (isRunning(t, nowMs)) running.add(t.id);
  }
  return {
    completed,
    running,
    unavailable,
    paused: state.status === 'paused' || state.status === 'blocked',
    stopped: state.status === 'completed' || state.status === 'failed' || state.status === 'stopped',
  };
}
