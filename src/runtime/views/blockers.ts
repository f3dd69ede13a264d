import type { SessionState, TicketState } from '../state.ts';
import { chooseNext } from '../scheduler/choose-next.ts';
import { claimStatusOf, isRunning, schedulableTickets } from '../scheduler/from-state.ts';
import { unmetRequirements } from '../tickets.ts';
import { formatMinutes, minutesBetween } from './format.ts';
import { printableData } from './printable.ts';

/** Default: a claimed / in-progress ticket with no heartbeat for this many minutes is stalled. */
export const DEFAULT_STALL_MINUTES = 30;

/**
 * What the blocker analysis found.
 * - `stalled`: a running ticket whose lease expired, or with no heartbeat (nor claim) for the threshold;
 * - `failed-dependency`: a pending ticket one of whose dependencies failed (it cannot start until that
 *   ticket is retried);
 * - `deadlock`: nothing ready, nothing running, and the session is not done;
 * - `file-conflict`: two running tickets touch one file (error);
 * - `file-wait`: a ready ticket waits for a running ticket's file (info: the files rule at work; what
 *   `--pause-on-conflicts` reacts to — `next` pauses the session on it);
 * - `external-wait`: a pending ticket waits for a ticket of another session it `requires` (info);
 * - `blocked`: a ticket an agent or the coordinator blocked.
 */
export type BlockerKind = 'stalled' | 'failed-dependency' | 'deadlock' | 'file-conflict' | 'file-wait' | 'external-wait' | 'blocked';

/**
 * One finding. `severity`: `error` (needs a person now), `warning` (escalate), `info` (normal waiting).
 * `ticket` / `agent`: concerned ticket and agent, or null. `related`: other ticket ids involved (the failed
 * dependency, the running ticket holding the file, …). `reason`: one line, no trailing period.
 */
export interface BlockerFinding {
  readonly kind: BlockerKind;
  readonly severity: 'error' | 'warning' | 'info';
  readonly ticket: string | null;
  readonly agent: string | null;
  readonly reason: string;
  readonly related: string[];
}

/**
 * The analysis: findings (errors first); `escalate` when any finding is an error or a warning (a person
 * should look: record them as blockers); `halt` when any is an error (deadlock, two running tickets on one
 * file): the session cannot progress as it is, so blocking it costs nothing — warnings such as one failed
 * dependency leave other tickets claimable, and blocking the session for them would stop that work;
 * `summary`: one line.
 */
export interface BlockerAnalysis {
  readonly findings: BlockerFinding[];
  readonly escalate: boolean;
  readonly halt: boolean;
  readonly summary: string;
}

/** Options of {@link analyzeBlockers}: the time (epoch ms) and the stall threshold in minutes. */
export interface BlockerOptions {
  readonly nowMs: number;
  readonly stallMinutes?: number;
  /** Completed tickets of other sessions (`SESSION:TICKET`) this one requires; unmet ones are `external-wait`. */
  readonly satisfied?: ReadonlySet<string>;
}

/**
 * Finds what keeps a session from progressing, for `orchestrate blockers [--escalate]`. Pure, O(n + e + f).
 * The core records the `warning` / `error` findings as blockers and escalates when `escalate` is true.
 */
export function analyzeBlockers(state: SessionState, options: BlockerOptions): BlockerAnalysis {
  const { nowMs } = options;
  const stall = options.stallMinutes ?? DEFAULT_STALL_MINUTES;
  const findings: BlockerFinding[] = [];
  const byId = new Map<string, TicketState>(state.tickets.map((t) => [t.id, t]));
  const running = state.tickets.filter((t) => isRunning(t, nowMs));

  for (const t of state.tickets) {
    if (t.status !== 'claimed' && t.status !== 'in_progress') continue;
    const holder = t.agent ?? 'no agent';
    if (!isRunning(t, nowMs)) {
      const ago = minutesBetween(t.lease_expires_at, nowMs) ?? 0;
      findings.push({ kind: 'stalled', severity: 'warning', ticket: t.id, agent: t.agent, reason: `${t.id} held by ${holder}: lease expired ${formatMinutes(ago)} ago; it will be offered again`, related: [] });
      continue;
    }
    const last = t.heartbeat_at ?? t.claimed_at;
    const silent = minutesBetween(last, nowMs);
    if (silent !== null && silent >= stall) {
      findings.push({ kind: 'stalled', severity: 'warning', ticket: t.id, agent: t.agent, reason: `${t.id} held by ${holder}: no heartbeat for ${formatMinutes(silent)} (threshold ${formatMinutes(stall)})`, related: [] });
    }
  }

  for (const t of state.tickets) {
    if (t.status === 'blocked') {
      findings.push({ kind: 'blocked', severity: 'warning', ticket: t.id, agent: t.agent, reason: `${t.id} blocked: ${t.blocked_reason ?? 'no reason given'}`, related: [] });
    }
    if (t.status !== 'pending') continue;
    const failed = t.dependencies.filter((d) => byId.get(d)?.status === 'failed');
    if (failed.length > 0) {
      findings.push({ kind: 'failed-dependency', severity: 'warning', ticket: t.id, agent: null, reason: `${t.id} waits on failed ${failed.join(', ')}; retry or replan ${failed.length === 1 ? 'it' : 'them'}`, related: failed });
    }
  }

  // File conflicts: running tickets sharing a file (must not happen), and ready tickets waiting for a file.
  const owner = new Map<string, string>();
  for (const t of running) {
    for (const f of t.files) {
      const o = owner.get(f);
      if (o !== undefined) {
        findings.push({ kind: 'file-conflict', severity: 'error', ticket: t.id, agent: t.agent, reason: `${t.id} and ${o} are both running and touch ${f}`, related: [o] });
      } else owner.set(f, t.id);
    }
  }
  const status = claimStatusOf(state, nowMs);
  for (const t of state.tickets) {
    if (status.completed.has(t.id) || status.running.has(t.id) || status.unavailable?.has(t.id)) continue;
    if (!t.dependencies.every((d) => status.completed.has(d))) continue;
    const f = t.files.find((x) => owner.has(x));
    if (f !== undefined) {
      findings.push({ kind: 'file-wait', severity: 'info', ticket: t.id, agent: null, reason: `${t.id} is ready but waits for ${f}, held by running ${owner.get(f)!}`, related: [owner.get(f)!] });
    }
  }

  for (const t of state.tickets) {
    if (t.status !== 'pending' || !t.requires?.length) continue;
    const unmet = unmetRequirements(t, options.satisfied);
    if (unmet.length) findings.push({ kind: 'external-wait', severity: 'info', ticket: t.id, agent: null, reason: `${t.id} waits for ${unmet.join(', ')} (another session)`, related: unmet });
  }

  const final = state.status === 'completed' || state.status === 'failed' || state.status === 'stopped';
  if (!final && state.status !== 'paused') {
    const next = chooseNext(schedulableTickets(state), { ...status, paused: false, stopped: false });
    if (next.code === 'unavailable' || ((next.code === 'dependencies' || next.code === 'files') && running.length === 0)) {
      const p = state.tickets.filter((t) => t.status !== 'completed');
      const count = (s: string): number => p.filter((t) => t.status === s).length;
      findings.push({
        kind: 'deadlock',
        severity: 'error',
        ticket: null,
        agent: null,
        reason: `nothing ready and nothing running, ${p.length} ticket(s) not done (${count('failed')} failed, ${count('blocked')} blocked, ${count('pending')} pending): ${next.reason}`,
        related: next.waitingOn,
      });
    }
  }

  const order = { error: 0, warning: 1, info: 2 } as const;
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  const serious = findings.filter((f) => f.severity !== 'info');
  const kinds = new Map<string, number>();
  for (const f of serious) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  const summary =
    serious.length === 0
      ? findings.length === 0
        ? 'no blockers'
        : `no blockers; ${[['file-wait', 'waiting for a file'], ['external-wait', 'waiting for another session']].map(([k, what]) => [findings.filter((f) => f.kind === k).length, what, k] as const).filter(([n]) => n > 0).map(([n, what, k]) => `${n} ticket(s) ${what} (${k})`).join(', ')}`
      : `${serious.length} blocker(s): ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}`;
  return { findings, escalate: serious.length > 0, halt: findings.some((f) => f.severity === 'error'), summary };
}

/** The analysis as plain lines: the summary, then `severity kind: reason` per finding. */
export function formatBlockers(input: BlockerAnalysis): string {
  const analysis = printableData(input);
  return [analysis.summary, ...analysis.findings.map((f) => `  ${f.severity} ${f.kind}: ${f.reason}`)].join('\n') + '\n';
}
