import type { SessionState, StateEvent } from '../state.ts';
import { buildGraph } from '../scheduler/graph.ts';
import { scheduleGraph } from '../scheduler/schedule.ts';
import { schedulableTickets } from '../scheduler/from-state.ts';
import { parallelismLimit } from '../parallelism-limit.ts';
import { attemptsOf } from './attempts.ts';
import { progressOf } from './derive.ts';
import { formatMinutes, round1, round2 } from './format.ts';
import { MULTILINE_FIELDS, printableData } from './printable.ts';
import { renderHistoryMarkdown, ticketHistory, type TicketHistory } from './history.ts';

/**
 * The completion summary (seed 004's "Execution Completion"), for `report --format json`. Durations in
 * minutes, rounded to 0.1; percentages 0–100.
 * - `wallMinutes`: from `started_at` (first activate; `created_at` if never activated) to `completed_at`
 *   (or now while the session runs).
 * - `estimatedMinutes`: the planned makespan (list schedule of the estimates on the session's agents and
 *   strategy); `vsEstimatePercent`: (estimated − wall) / estimated × 100, positive = faster than planned;
 *   null while the session is not final (a running session is not "faster" yet).
 * - `agentMinutes`: the sum of every attempt's duration (agent busy time); `parallelismFactor`:
 *   agentMinutes / wallMinutes (how many agents worked at once, on average).
 * - `estimateAccuracy`: actual / estimated minutes over completed tickets with known times (null if none).
 * - `conflicts`: file-conflict blockers recorded and resolved; `blocks`: the other blockers.
 * - `history`: retries, rework, fallbacks, failures, gates and the recommended next step (`history.ts`).
 * - `agents[]`: per agent, tickets completed / failed, attempts, busy minutes, utilisation = busy / wall.
 * - `durations[]`: per completed ticket (plan order) with a known time, its estimate and the minutes its
 *   completing attempt took.
 * - `slots`: the worker slots the run had (the session's parallelism: most tickets at once);
 *   `resourceEfficiency`: agent time used against agent time available, `agentMinutes / (slots × wall)`, as
 *   a percentage (null before any time passed).
 */
export interface CompletionReport {
  session: { id: string; title: string; status: SessionState['status']; agents: number; strategy: SessionState['strategy'] };
  /** True when the session reached a final status (completed, failed, stopped); else figures are so far. */
  final: boolean;
  startedAt: string | null;
  endedAt: string;
  wallMinutes: number;
  estimatedMinutes: number;
  estimatedWorkMinutes: number;
  vsEstimatePercent: number | null;
  agentMinutes: number;
  parallelismFactor: number | null;
  estimateAccuracy: number | null;
  tickets: { total: number; completed: number; failed: number; blocked: number; running: number; pending: number; percentage: number };
  byPriority: { priority: string; total: number; completed: number; failed: number }[];
  /** File conflicts (`file-conflict` / `file-wait` blockers) only; `blocks`: every other blocker. */
  conflicts: { recorded: number; resolved: number };
  blocks: { recorded: number; resolved: number };
  attempts: number;
  retries: number;
  agents: { agent: string; completed: number; failed: number; attempts: number; busyMinutes: number; utilisation: number | null }[];
  durations: { ticket: string; estimateMinutes: number; actualMinutes: number }[];
  slots: number;
  resourceEfficiency: number | null;
  /** Retries, rework after review, agent fallbacks, failures and evidence-less completions (`history.ts`). */
  history: TicketHistory;
}

/** Builds the {@link CompletionReport} at `nowMs` (epoch ms) from the state and its event log. Pure. */
export function completionReport(state: SessionState, events: readonly StateEvent[], nowMs: number): CompletionReport {
  const startIso = state.started_at ?? state.created_at;
  const endMs = state.completed_at ? Date.parse(state.completed_at) : nowMs;
  const wall = Math.max(0, (endMs - Date.parse(startIso)) / 60_000);
  const graph = buildGraph(schedulableTickets(state));
  const plan = scheduleGraph(graph, { agents: state.agents, strategy: state.strategy });
  const attempts = attemptsOf(state, events, nowMs);
  const p = progressOf(state);
  const final = state.status === 'completed' || state.status === 'failed' || state.status === 'stopped';

  const agentMap = new Map<string, { completed: number; failed: number; attempts: number; busy: number }>();
  const entry = (a: string) => {
    let e = agentMap.get(a);
    if (!e) agentMap.set(a, (e = { completed: 0, failed: 0, attempts: 0, busy: 0 }));
    return e;
  };
  let agentMinutes = 0;
  const lastCompleted = new Map<string, number>();
  for (const a of attempts) {
    const d = Math.max(0, (a.end - a.start) / 60_000);
    agentMinutes += d;
    const e = entry(a.agent ?? '(unknown)');
    e.attempts++;
    e.busy += d;
    if (a.outcome === 'completed') lastCompleted.set(a.ticket, d);
  }
  for (const t of state.tickets) {
    if (t.agent === null) continue;
    if (t.status === 'completed') entry(t.agent).completed++;
    if (t.status === 'failed') entry(t.agent).failed++;
  }
  let est = 0;
  let act = 0;
  const durations: CompletionReport['durations'] = [];
  for (const t of state.tickets) {
    const d = lastCompleted.get(t.id);
    if (t.status !== 'completed' || d === undefined) continue;
    durations.push({ ticket: t.id, estimateMinutes: t.estimate_minutes, actualMinutes: round1(d) });
    if (t.estimate_minutes > 0) {
      est += t.estimate_minutes;
      act += d;
    }
  }
  const slots = parallelismLimit(state);
  const order = ['critical', 'high', 'medium', 'low'];
  const byPriority = order
    .map((priority) => {
      const ts = state.tickets.filter((t) => t.priority === priority);
      return { priority, total: ts.length, completed: ts.filter((t) => t.status === 'completed').length, failed: ts.filter((t) => t.status === 'failed').length };
    })
    .filter((r) => r.total > 0);
  const history = ticketHistory(state, events);
  const claims = attempts.length;
  const claimedTickets = new Set(attempts.map((a) => a.ticket)).size;
  return {
    session: { id: state.id, title: state.title, status: state.status, agents: state.agents, strategy: state.strategy },
    final,
    startedAt: state.started_at,
    endedAt: new Date(endMs).toISOString(),
    wallMinutes: round1(wall),
    estimatedMinutes: round1(plan.makespan),
    estimatedWorkMinutes: round1(plan.totalWork),
    vsEstimatePercent: final && plan.makespan > 0 ? round1(((plan.makespan - wall) / plan.makespan) * 100) : null,
    agentMinutes: round1(agentMinutes),
    parallelismFactor: wall > 0 ? round2(agentMinutes / wall) : null,
    estimateAccuracy: est > 0 ? round2(act / est) : null,
    tickets: { total: p.total, completed: p.completed, failed: p.failed, blocked: p.blocked, running: p.running, pending: p.pending, percentage: p.percentage },
    byPriority,
    conflicts: history.conflicts,
    blocks: history.blocks,
    attempts: claims,
    retries: claims - claimedTickets,
    agents: [...agentMap]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([agent, e]) => ({ agent, completed: e.completed, failed: e.failed, attempts: e.attempts, busyMinutes: round1(e.busy), utilisation: wall > 0 ? round1((e.busy / wall) * 100) : null })),
    durations,
    slots,
    resourceEfficiency: wall > 0 ? round1((agentMinutes / (slots * wall)) * 100) : null,
    history,
  };
}

/** The {@link CompletionReport} as markdown (`report`, `report --format markdown`). Ends with a newline. */
export function renderReportMarkdown(input: CompletionReport): string {
  const r = printableData(input, { multiline: MULTILINE_FIELDS });
  const done = r.tickets.completed === r.tickets.total;
  const vs =
    r.vsEstimatePercent === null
      ? ''
      : Math.round(r.vsEstimatePercent) === 0
        ? ` (as estimated: ${formatMinutes(r.estimatedMinutes)})`
        : r.vsEstimatePercent > 0
        ? ` (${Math.round(r.vsEstimatePercent)}% faster than the ${formatMinutes(r.estimatedMinutes)} estimate)`
        : ` (${Math.round(-r.vsEstimatePercent)}% slower than the ${formatMinutes(r.estimatedMinutes)} estimate)`;
  const lines = [
    `# Completion summary: ${r.session.title}`,
    '',
    `Session \`${r.session.id}\` · status **${r.session.status}** · ${r.session.agents} agents · strategy ${r.session.strategy}`,
    '',
    '## Execution summary',
    '',
    r.final ? `- Total duration: ${formatMinutes(r.wallMinutes)}${vs}` : `- Elapsed so far: ${formatMinutes(r.wallMinutes)} (estimate ${formatMinutes(r.estimatedMinutes)}; session ${r.session.status})`,
    `- Tickets completed: ${r.tickets.completed}/${r.tickets.total} (${r.tickets.percentage}%)`,
    `- Tickets failed: ${r.tickets.failed}${r.tickets.blocked ? ` · blocked: ${r.tickets.blocked}` : ''}${done ? '' : ` · not done: ${r.tickets.total - r.tickets.completed - r.tickets.failed - r.tickets.blocked}`}`,
    `- Conflicts resolved: ${r.conflicts.resolved} of ${r.conflicts.recorded} recorded · blocks resolved: ${r.blocks.resolved} of ${r.blocks.recorded}`,
    `- Parallelism factor: ${r.parallelismFactor === null ? '-' : `${r.parallelismFactor}x`} (${formatMinutes(r.agentMinutes)} of agent time in ${formatMinutes(r.wallMinutes)})`,
    `- Resource efficiency: ${r.resourceEfficiency === null ? '-' : `${r.resourceEfficiency}%`} (${formatMinutes(r.agentMinutes)} of the ${formatMinutes(r.slots * r.wallMinutes)} of agent time available: ${r.slots} worker slot${r.slots === 1 ? '' : 's'} × ${formatMinutes(r.wallMinutes)})`,
    `- Estimate accuracy: ${r.estimateAccuracy === null ? '-' : `actual / estimated = ${r.estimateAccuracy}`} · claims ${r.attempts}, retries ${r.retries}`,
    '',
    '## Results by priority',
    '',
    '| Priority | Completed | Failed | Total |',
    '|---|---:|---:|---:|',
    ...r.byPriority.map((b) => `| ${b.priority.toUpperCase()} | ${b.completed} | ${b.failed} | ${b.total} |`),
    '',
    '## Agents',
    '',
  ];
  if (r.agents.length === 0) lines.push('No agent claimed a ticket.');
  else {
    lines.push('| Agent | Completed | Failed | Claims | Busy | Utilisation |', '|---|---:|---:|---:|---:|---:|');
    for (const a of r.agents) lines.push(`| ${a.agent} | ${a.completed} | ${a.failed} | ${a.attempts} | ${formatMinutes(a.busyMinutes)} | ${a.utilisation === null ? '-' : `${a.utilisation}%`} |`);
  }
  if (r.durations.length) {
    lines.push('', '## Durations against estimates', '', '| Ticket | Estimate | Actual | vs estimate |', '|---|---:|---:|---:|');
    for (const d of r.durations) lines.push(`| ${d.ticket} | ${formatMinutes(d.estimateMinutes)} | ${formatMinutes(d.actualMinutes)} | ${d.estimateMinutes > 0 ? `${Math.round((d.actualMinutes / d.estimateMinutes) * 100)}%` : '-'} |`);
  }
  lines.push(...renderHistoryMarkdown(r.history));
  return lines.join('\n') + '\n';
}
