import type { SessionState, TicketEvidence, TicketStatus } from '../state.ts';
import { groupsOf, progressOf } from './derive.ts';
import { MULTILINE_FIELDS, printableData } from './printable.ts';

/** One ticket's result in the consolidated report: what the agent reported and the evidence it gave. */
export interface ConsolidatedTicket {
  id: string;
  title: string;
  priority: string;
  status: TicketStatus;
  agent: string | null;
  completedAt: string | null;
  summary: string | null;
  evidence: TicketEvidence | null;
  /** `failure_reason` of a failed ticket or `blocked_reason` of a blocked one, else null. */
  problem: string | null;
  acceptance: string[];
}

/**
 * `consolidate --format json`: every ticket's result grouped by dependency group (1-based topological
 * level, plan order within a group), the union of commits and changed files, and the lists of completed
 * tickets without verified evidence and of tickets not completed.
 */
export interface ConsolidatedReport {
  session: { id: string; title: string; status: SessionState['status'] };
  progress: { total: number; completed: number; failed: number; blocked: number; percentage: number };
  groups: { group: number; tickets: ConsolidatedTicket[] }[];
  commits: string[];
  files: string[];
  unverified: string[];
  notDone: string[];
}

/** Merges the agents' result summaries and evidence into one report. Pure; O(n + e). */
export function consolidate(state: SessionState): ConsolidatedReport {
  const info = groupsOf(state, 0);
  const byId = new Map(state.tickets.map((t) => [t.id, t]));
  const commits: string[] = [];
  const files: string[] = [];
  const seenC = new Set<string>();
  const seenF = new Set<string>();
  const groups = info.groups.map((ids, k) => ({
    group: k + 1,
    tickets: ids.map((id): ConsolidatedTicket => {
      const t = byId.get(id)!;
      for (const c of t.evidence?.commits ?? []) if (!seenC.has(c)) (seenC.add(c), commits.push(c));
      for (const f of t.evidence?.files ?? []) if (!seenF.has(f)) (seenF.add(f), files.push(f));
      return {
        id: t.id,
        title: t.title,
        priority: t.priority,
        status: t.status,
        agent: t.agent,
        completedAt: t.completed_at,
        summary: t.summary,
        evidence: t.evidence,
        problem: t.status === 'failed' ? t.failure_reason : t.status === 'blocked' ? t.blocked_reason : null,
        acceptance: t.acceptance,
      };
    }),
  }));
  const p = progressOf(state);
  return {
    session: { id: state.id, title: state.title, status: state.status },
    progress: { total: p.total, completed: p.completed, failed: p.failed, blocked: p.blocked, percentage: p.percentage },
    groups,
    commits,
    files: files.sort(),
    unverified: state.tickets.filter((t) => t.status === 'completed' && !t.evidence?.verified).map((t) => t.id),
    notDone: state.tickets.filter((t) => t.status !== 'completed').map((t) => t.id),
  };
}

function evidenceLines(e: TicketEvidence | null): string[] {
  if (e === null) return ['- Evidence: none recorded'];
  const out: string[] = [];
  if (e.commits.length) out.push(`- Commits: ${e.commits.map((c) => `\`${c.slice(0, 12)}\``).join(', ')}`);
  if (e.files.length) out.push(`- Files: ${e.files.map((f) => `\`${f}\``).join(', ')}`);
  if (e.test_cmd !== null) out.push(`- Tests: \`${e.test_cmd}\` → exit ${e.test_exit ?? '?'}`);
  out.push(`- Verified: ${e.verified ? 'yes' : 'no'}`);
  return out;
}

/** The {@link ConsolidatedReport} as markdown, one section per group and per ticket. Ends with a newline. */
export function renderConsolidatedMarkdown(input: ConsolidatedReport): string {
  const r = printableData(input, { multiline: MULTILINE_FIELDS });
  const lines = [
    `# Consolidated results: ${r.session.title}`,
    '',
    `Session \`${r.session.id}\` · status **${r.session.status}** · ${r.progress.completed}/${r.progress.total} tickets completed (${r.progress.percentage}%)` +
      `${r.progress.failed ? ` · ${r.progress.failed} failed` : ''}${r.progress.blocked ? ` · ${r.progress.blocked} blocked` : ''}`,
    '',
  ];
  for (const g of r.groups) {
    lines.push(`## Group ${g.group}`, '');
    for (const t of g.tickets) {
      lines.push(`### ${t.id}: ${t.title}`, '', `Status **${t.status}**${t.agent ? ` by ${t.agent}` : ''} · priority ${t.priority}`, '');
      if (t.summary) lines.push(t.summary.trim(), '');
      if (t.problem) lines.push(`> ${t.status === 'failed' ? 'Failure' : 'Blocked'}: ${t.problem}`, '');
      if (t.status === 'completed' || t.evidence) lines.push(...evidenceLines(t.evidence), '');
    }
  }
  lines.push('## Totals', '');
  lines.push(`- Commits: ${r.commits.length ? r.commits.map((c) => `\`${c.slice(0, 12)}\``).join(', ') : 'none'}`);
  lines.push(`- Files changed: ${r.files.length ? r.files.map((f) => `\`${f}\``).join(', ') : 'none'}`);
  lines.push(`- Completed without verified evidence: ${r.unverified.length ? r.unverified.join(', ') : 'none'}`);
  lines.push(`- Not completed: ${r.notDone.length ? r.notDone.join(', ') : 'none'}`);
  return lines.join('\n') + '\n';
}
