import type { SessionState, StateEvent } from '../state.ts';

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
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Builds the {@link TicketHistory} of a session from its state and event log. Pure. */
export function ticketHistory(state: SessionState, events: readonly StateEvent[]): TicketHistory {
  const h: TicketHistory = { retries: [], returned: [], rework: [], approved: [], fallbacks: [], failures: [], withoutEvidence: [] };
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
  section('Completed without evidence', h.withoutEvidence.length ? [`- ${h.withoutEvidence.join(', ')} (no commit, no test result: standard validation)`] : []);
  return out;
}
