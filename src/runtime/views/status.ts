import { parallelismOf } from '../parallelism-limit.ts';
import type { SessionState, StateEvent } from '../state.ts';
import { progressOf, sessionEta } from './derive.ts';
import { columns, formatMinutes, formatPercent, round2 } from './format.ts';
import { printableData } from './printable.ts';

/** Most tickets `formatStatus` lists one per line; beyond it only unfinished work is listed. */
export const STATUS_LIST_LIMIT = 50;

/**
 * `status` as plain text: session line, progress counts, ETA, how many tickets may run at once, then the tickets (all of them up to
 * {@link STATUS_LIST_LIMIT}; beyond that only running, failed and blocked ones, and a count of the rest).
 */
export function formatStatus(input: SessionState, nowMs: number, events: readonly StateEvent[] = []): string {
  const state = printableData(input);
  const p = progressOf(state);
  const eta = sessionEta(state, nowMs, events);
  const lines = [
    `${state.id}: ${state.title} [${state.status}${state.status_reason ? `: ${state.status_reason}` : ''}]`,
    `progress: ${formatPercent(p.percentage)} (${p.completed}/${p.total} completed, ${p.running} running, ${p.pending} pending, ${p.failed} failed, ${p.blocked} blocked)`,
    `eta: ${p.completed === p.total ? 'done' : `${formatMinutes(eta.minutes)} (${eta.basis}, pace x${round2(eta.pace)})`}`,
    `parallelism: ${limitLine(state)}`,
  ];
  const shown = state.tickets.length <= STATUS_LIST_LIMIT ? state.tickets : state.tickets.filter((t) => t.status !== 'pending' && t.status !== 'completed');
  lines.push(...columns(shown.map((t) => [`  ${t.id}`, t.status, t.agent ?? '-', t.status === 'in_progress' ? `${t.progress}%` : ''])));
  if (shown.length < state.tickets.length) lines.push(`  (${state.tickets.length - shown.length} pending or completed tickets not listed)`);
  return lines.join('\n') + '\n';
}

/** `3 at once (strategy maximum: ...)`: the claim limit and where it comes from. */
function limitLine(state: SessionState): string {
  const { limit, source } = parallelismOf(state);
  return `${limit} at once (${source})`;
}
