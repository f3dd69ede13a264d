import { HELD_TICKET_STATUSES, type SessionState, type StateEvent, type TicketState, type TicketStatus } from '../state.ts';
import { buildGraph } from '../scheduler/graph.ts';
import { levelIndices } from '../scheduler/levels.ts';
import { estimateEta, type Eta, type ObservedDuration, type RunningProgress } from '../scheduler/eta.ts';
import { isRunning, schedulableTickets } from '../scheduler/from-state.ts';
import { minutesBetween } from './format.ts';

/**
 * Facts the views share, derived from a session state (and optionally its event log) at a given time.
 * Pure: the caller passes `nowMs` (epoch ms), so tests fix the clock.
 */

/**
 * Ticket counts by status and the completion percentage: floor(100 × completed / total), as the core's
 * `status --json` computes it (`src/runtime/progress.ts`), so the views and `status` agree.
 */
export interface ProgressSummary {
  readonly total: number;
  readonly completed: number;
  readonly running: number;
  readonly pending: number;
  readonly failed: number;
  readonly blocked: number;
  /** Completed by their agent, waiting for the review gate (`approve` / `reject`). */
  readonly review: number;
  readonly percentage: number;
  readonly byStatus: Record<TicketStatus, number>;
}

/** Counts the session's tickets by status; `running` = claimed + in_progress. */
export function progressOf(state: SessionState): ProgressSummary {
  const byStatus: Record<TicketStatus, number> = { pending: 0, claimed: 0, in_progress: 0, review: 0, completed: 0, failed: 0, blocked: 0 };
  for (const t of state.tickets) byStatus[t.status]++;
  const total = state.tickets.length;
  return {
    total,
    completed: byStatus.completed,
    running: byStatus.claimed + byStatus.in_progress,
    pending: byStatus.pending,
    failed: byStatus.failed,
    blocked: byStatus.blocked,
    review: byStatus.review,
    percentage: total === 0 ? 0 : Math.floor((100 * byStatus.completed) / total),
    byStatus,
  };
}

/**
 * When each ticket's current (or last) attempt started, in epoch ms: the last `claim` event of the ticket
 * in `events` when given, else the ticket's `claimed_at`, else `started_at`; null when never claimed.
 */
export function attemptStarts(state: SessionState, events: readonly StateEvent[] = []): Map<string, number | null> {
  const fromLog = new Map<string, number>();
  for (const e of events) {
    if (e.verb === 'claim' && e.ticket !== null) {
      const ms = Date.parse(e.time);
      if (!Number.isNaN(ms)) fromLog.set(e.ticket, ms);
    }
  }
  const out = new Map<string, number | null>();
  for (const t of state.tickets) {
    const log = fromLog.get(t.id);
    const iso = t.claimed_at ?? t.started_at;
    out.set(t.id, log ?? (iso ? Date.parse(iso) : null));
  }
  return out;
}

/**
 * Actual duration of a finished (`completed` or `failed`) ticket's last attempt, in minutes: from its
 * attempt start (see {@link attemptStarts}) to `completed_at`. Null when either time is unknown.
 */
export function actualMinutes(t: TicketState, starts: Map<string, number | null>): number | null {
  if (t.status !== 'completed' && t.status !== 'failed') return null;
  const s = starts.get(t.id);
  if (s == null || !t.completed_at) return null;
  const m = minutesBetween(new Date(s).toISOString(), t.completed_at);
  return m === null ? null : Math.max(0, m);
}

/** Estimated vs actual minutes of every completed ticket whose times are known (for the pace). */
export function observedDurations(state: SessionState, starts: Map<string, number | null>): ObservedDuration[] {
  const out: ObservedDuration[] = [];
  for (const t of state.tickets) {
    if (t.status !== 'completed') continue;
    const a = actualMinutes(t, starts);
    if (a !== null) out.push({ estimate: t.estimate_minutes, actual: a });
  }
  return out;
}

/** The session ETA at `nowMs` (see `estimateEta`): running tickets count their progress or elapsed time. */
export function sessionEta(state: SessionState, nowMs: number, events: readonly StateEvent[] = []): Eta {
  const starts = attemptStarts(state, events);
  const running = new Map<string, RunningProgress>();
  const completed = new Set<string>();
  const unavailable = new Set<string>();
  for (const t of state.tickets) {
    if (t.status === 'completed') completed.add(t.id);
    else if (HELD_TICKET_STATUSES.includes(t.status)) unavailable.add(t.id);
    else if (isRunning(t, nowMs)) {
      const s = starts.get(t.id);
      running.set(t.id, { elapsed: s == null ? 0 : Math.max(0, (nowMs - s) / 60_000), ...(t.progress > 0 ? { progress: t.progress } : {}) });
    }
  }
  return estimateEta({ tickets: schedulableTickets(state), completed, running, unavailable, observed: observedDurations(state, starts), agents: state.agents });
}

/**
 * Dependency groups (1-based numbers, topological levels) and which are active: a group is active while
 * one of its tickets is claimed / in progress. `ofTicket` maps ticket id → group number.
 */
export interface GroupInfo {
  readonly groups: string[][];
  readonly active: number[];
  readonly ofTicket: Map<string, number>;
}

/** Groups of the session's tickets and the active ones at `nowMs`. O(n + e). */
export function groupsOf(state: SessionState, nowMs: number): GroupInfo {
  const graph = buildGraph(schedulableTickets(state));
  const levels = levelIndices(graph);
  const ofTicket = new Map<string, number>();
  levels.forEach((g, k) => g.forEach((i) => ofTicket.set(graph.ids[i]!, k + 1)));
  const active = new Set<number>();
  for (const t of state.tickets) if (isRunning(t, nowMs)) active.add(ofTicket.get(t.id)!);
  return { groups: levels.map((g) => g.map((i) => graph.ids[i]!)), active: [...active].sort((a, b) => a - b), ofTicket };
}

/**
 * One agent's line in the dashboard / `agents`:
 * - `status`: `executing` (in_progress), `claimed`, `stalled` (lease expired), or the status of the last
 *   ticket it finished (`completed`, `failed`, `blocked`);
 * - `progress`: 0–100 of the current ticket, 100 when its last ticket completed, null otherwise;
 * - `etaMinutes`: time left on the current ticket (pace-adjusted estimate minus elapsed, or by progress);
 * - `done`: tickets this agent completed; `heartbeatAt`: last heartbeat time (ISO) or null.
 */
export interface AgentRow {
  readonly agent: string;
  readonly ticket: string | null;
  readonly status: 'executing' | 'claimed' | 'stalled' | 'completed' | 'failed' | 'blocked' | 'idle';
  readonly progress: number | null;
  readonly etaMinutes: number | null;
  readonly done: number;
  readonly heartbeatAt: string | null;
}

/** One row per agent name that ever held a ticket, sorted by name. `pace` scales estimates (1 = as planned). */
export function agentRows(state: SessionState, nowMs: number, pace: number, events: readonly StateEvent[] = []): AgentRow[] {
  const starts = attemptStarts(state, events);
  const byAgent = new Map<string, TicketState[]>();
  for (const t of state.tickets) {
    if (t.agent === null) continue;
    const list = byAgent.get(t.agent) ?? [];
    list.push(t);
    byAgent.set(t.agent, list);
  }
  const rows: AgentRow[] = [];
  for (const [agent, list] of [...byAgent].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const done = list.filter((t) => t.status === 'completed').length;
    const current = list.find((t) => t.status === 'claimed' || t.status === 'in_progress');
    if (current) {
      const live = isRunning(current, nowMs);
      const s = starts.get(current.id);
      const elapsed = s == null ? 0 : (nowMs - s) / 60_000;
      const planned = current.estimate_minutes * pace;
      const eta = current.progress > 0 ? planned * (1 - current.progress / 100) : Math.max(0, planned - elapsed);
      rows.push({
        agent,
        ticket: current.id,
        status: !live ? 'stalled' : current.status === 'in_progress' ? 'executing' : 'claimed',
        progress: current.progress,
        etaMinutes: live ? eta : null,
        done,
        heartbeatAt: current.heartbeat_at,
      });
      continue;
    }
    const last = [...list].sort((a, b) => (a.completed_at ?? '').localeCompare(b.completed_at ?? '')).pop()!;
    const status = last.status === 'completed' || last.status === 'failed' || last.status === 'blocked' ? last.status : 'idle';
    rows.push({ agent, ticket: status === 'idle' ? null : last.id, status, progress: status === 'completed' ? 100 : null, etaMinutes: null, done, heartbeatAt: last.heartbeat_at });
  }
  return rows;
}
