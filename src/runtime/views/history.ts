import { settingsOf } from '../settings.ts';
import type { GateRecord, SessionState, StateEvent } from '../state.ts';

/**
 * What happened to tickets besides their first attempt, from the event log (for `report`): retries with the
 * reason of the attempt before, reviews that asked for rework, agent types that were not found (the
 * fallback used instead), tickets that failed for good, and tickets completed without evidence (allowed under
 * `standard` validation only).
 */
export interface TicketHistory {
  /** `retry` events: the failed attempt's reason, and whether `next` retried on its own. */
  retries: { ticket: string; reason: string | null; auto: boolean }[];
  /** `returned` events: an agent came back without reporting a result. */
  returned: { ticket: string; agent: string | null }[];
  /** `reject` events: the reviewer's reason (the ticket was reworked, or failed when out of attempts). */
  rework: { ticket: string; reviewer: string | null; reason: string }[];
  /** `approve` events. */
  approved: { ticket: string; reviewer: string | null }[];
  /** `fallback` events: the ticket's agent type did not exist; `used` stood in. */
  fallbacks: { ticket: string; wanted: string; used: string }[];
  /** Tickets `failed` now, with their reason and attempts. */
  failures: { ticket: string; reason: string | null; attempts: number }[];
  /** Completed tickets whose agent gave neither a commit nor a test result. */
  withoutEvidence: string[];
  /** Stream and system gates recorded by `gate`, oldest first. */
  gates: GateRecord[];
  /** File conflicts (`file-conflict` / `file-wait` blockers) apart from other blocks, each recorded / resolved. */
  conflicts: { recorded: number; resolved: number };
  blocks: { recorded: number; resolved: number };
  /** The next step, computed from the state (see {@link recommend}). */
  next: string;
}

/**
 * The recommended next step: retry failed tickets (with the command), review tickets waiting in `review`,
 * unblock blocked ones, resume a paused session, continue a running one, fix what a failed system gate
 * found, run the system gate (strict / comprehensive validation, none recorded yet), or done.
 */
export function recommend(state: SessionState): string {
  const ids = (s: string) => state.tickets.filter((t) => t.status === s).map((t) => t.id);
  const failed = ids('failed');
  if (failed.length) return `retry the failed tickets: ${failed.map((t) => `\`retry ${t} --attempts 1\``).join(', ')}, then continue with \`next\``;
  const review = ids('review');
  if (review.length) return `review ${review.join(', ')}: \`approve TICKET\` or \`reject TICKET --reason R\``;
  const blocked = ids('blocked');
  if (blocked.length) return `resolve the blocks on ${blocked.join(', ')}, then \`unblock --ticket T\``;
  if (state.status === 'paused') return 'continue with `resume`, then `next`';
  if (state.status === 'stopped') return 'stopped: start a new session with `init`';
  if (state.status !== 'completed') return 'continue the run with `next`';
  const system = (state.gates ?? []).filter((g) => g.level === 'system').at(-1);
  if (system?.verdict === 'fail') return `fix what the system gate found (${system.notes ?? 'no notes'}): \`rollback --ticket T\` the tickets at fault, then \`next\`; record the gate again`;
  if (!system && settingsOf(state).validation !== 'standard') return 'run the system gate, then record it with `gate --level system --verdict pass|fail`';
  return 'done';
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Builds the {@link TicketHistory} of a session from its state and event log. Pure. */
export function ticketHistory(state: SessionState, events: readonly StateEvent[]): TicketHistory {
  const isConflict = (k: string) => k === 'file-conflict' || k === 'file-wait';
  const count = (pick: (k: string) => boolean) => {
    const bs = state.blockers.filter((b) => pick(b.kind));
    return { recorded: bs.length, resolved: bs.filter((b) => b.resolved_at !== null).length };
  };
  const h: TicketHistory = {
    retries: [],
    returned: [],
    rework: [],
    approved: [],
    fallbacks: [],
    failures: [],
    withoutEvidence: [],
    gates: state.gates ?? [],
    conflicts: count(isConflict),
    blocks: count((k) => !isConflict(k)),
    next: recommend(state),
  };
  for (const e of events) {
    if (e.ticket === null) continue;
    const d = e.data ?? {};
    if (e.verb === 'retry') h.retries.push({ ticket: e.ticket, reason: text(d.reason), auto: d.auto === true });
    else if (e.verb === 'returned' && e.before !== 'review') h.returned.push({ ticket: e.ticket, agent: e.agent });
    else if (e.verb === 'reject') h.rework.push({ ticket: e.ticket, reviewer: e.agent, reason: text(d.reason) ?? '' });
    else if (e.verb === 'approve') h.approved.push({ ticket: e.ticket, reviewer: e.agent });
    else if (e.verb === 'fallback') h.fallbacks.push({ ticket: e.ticket, wanted: text(d.wanted) ?? '', used: text(d.used) ?? '' });
  }
  for (const t of state.tickets) {
    if (t.status === 'failed') h.failures.push({ ticket: t.id, reason: t.failure_reason, attempts: t.attempts });
    if (t.status === 'completed' && t.evidence && t.evidence.given === false) h.withoutEvidence.push(t.id);
  }
  return h;
}

/** The history as markdown sections for the report (empty when nothing happened beyond first attempts). */
export function renderHistoryMarkdown(h: TicketHistory): string[] {
  const out: string[] = [];
  const section = (title: string, rows: string[]) => {
    if (rows.length) out.push('', `## ${title}`, '', ...rows);
  };
  section('Failures', h.failures.map((f) => `- ${f.ticket}: ${f.reason ?? 'no reason given'} (${f.attempts} attempt(s))`));
  section('Retries', h.retries.map((r) => `- ${r.ticket}: after ${r.reason ?? 'a failed attempt'}${r.auto ? ' (retried by next)' : ''}`));
  section('Rework after review', h.rework.map((r) => `- ${r.ticket}: ${r.reason}${r.reviewer ? ` (${r.reviewer})` : ''}`));
  section('Agent fallbacks', h.fallbacks.map((f) => `- ${f.ticket}: no agent \`${f.wanted}\`, ran as \`${f.used}\``));
  section('Gates', h.gates.map((g) => `- ${g.level}${g.group !== null ? ` (group ${g.group})` : ''}: ${g.verdict}${g.reviewer ? ` by ${g.reviewer}` : ''}${g.notes ? ` — ${g.notes}` : ''}`));
  section('Completed without evidence', h.withoutEvidence.length ? [`- ${h.withoutEvidence.join(', ')} (no commit, no test result: standard validation)`] : []);
  out.push('', '## Next step', '', `- ${h.next}`);
  return out;
}
