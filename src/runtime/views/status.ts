import type { SessionState, StateEvent, TicketStatus } from '../state.ts';
import { progressOf, sessionEta, type ProgressSummary } from './derive.ts';
import { columns, formatMinutes, formatPercent, round2 } from './format.ts';

/** Most tickets `formatStatus` lists one per line; beyond it only unfinished work is listed. */
export const STATUS_LIST_LIMIT = 50;

/**
 * `status --json`: the contract's fields (`status`, `progress.percentage`, `tickets: [{id, status, agent}]`)
 * plus counts and the ETA (minutes; pace = actual / estimated so far).
 */
export interface StatusJson {
  id: string;
  title: string;
  status: SessionState['status'];
  status_reason: string | null;
  agents: number;
  strategy: SessionState['strategy'];
  revision: number;
  progress: Omit<ProgressSummary, 'byStatus'>;
  eta: { minutes: number; pace: number; basis: 'estimates' | 'observed pace' };
  tickets: { id: string; status: TicketStatus; agent: string | null; progress: number }[];
}

/** The `status --json` object at `nowMs` (epoch ms). Pure. */
export function statusJson(state: SessionState, nowMs: number, events: readonly StateEvent[] = []): StatusJson {
  const { byStatus: _omit, ...progress } = progressOf(state);
  const eta = sessionEta(state, nowMs, events);
  return {
    id: state.id,
    title: state.title,
    status: state.status,
    status_reason: state.status_reason,
    agents: state.agents,
    strategy: state.strategy,
    revision: state.revision,
    progress,
    eta: { minutes: Math.round(eta.minutes), pace: round2(eta.pace), basis: eta.basis },
    tickets: state.tickets.map((t) => ({ id: t.id, status: t.status, agent: t.agent, progress: t.progress })),
  };
}

/**
 * `status` as plain text: session line, progress counts, ETA, then the tickets (all of them up to
 * {@link STATUS_LIST_LIMIT}; beyond that only running, failed and blocked ones, and a count of the rest).
 */
export function formatStatus(state: SessionState, nowMs: number, events: readonly StateEvent[] = []): string {
  const p = progressOf(state);
  const eta = sessionEta(state, nowMs, events);
  const lines = [
    `${state.id}: ${state.title} [${state.status}${state.status_reason ? `: ${state.status_reason}` : ''}]`,
    `progress: ${formatPercent(p.percentage)} (${p.completed}/${p.total} completed, ${p.running} running, ${p.pending} pending, ${p.failed} failed, ${p.blocked} blocked)`,
    `eta: ${p.completed === p.total ? 'done' : `${formatMinutes(eta.minutes)} (${eta.basis}, pace x${round2(eta.pace)})`}`,
  ];
  const shown = state.tickets.length <= STATUS_LIST_LIMIT ? state.tickets : state.tickets.filter((t) => t.status !== 'pending' && t.status !== 'completed');
  lines.push(...columns(shown.map((t) => [`  ${t.id}`, t.status, t.agent ?? '-', t.status === 'in_progress' ? `${t.progress}%` : ''])));
  if (shown.length < state.tickets.length) lines.push(`  (${state.tickets.length - shown.length} pending or completed tickets not listed)`);
  return lines.join('\n') + '\n';
}
