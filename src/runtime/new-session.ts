import { randomHex } from '../util/unique.ts';
import type { Plan, Ticket } from '../definitions/plan.ts';
import { strategyParallelism } from './parallelism.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { STATE_VERSION, type SessionSettings, type SessionState, type TicketState } from './state.ts';

/**
 * Building a new session from a validated plan (`init`). Loaded with `await import(...)`: it runs the
 * scheduler for the strategy's agent count.
 */

/** A fresh session id from the plan title and the time: `parser-rewrite-20261121-103000-1a2b`. */
export function newSessionId(title: string, nowMs: number): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '') || 'session';
  const t = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${slug}-${t}-${randomHex(4)}`;
}

/**
 * The state of a plan ticket before any work: `pending`, nothing recorded; lists copied. `maxAttempts`: the
 * ticket's attempt limit when the plan gives none for it (the plan's `max_attempts` or the session setting).
 */
export function newTicketState(t: Ticket, maxAttempts: number = DEFAULT_SETTINGS.max_attempts): TicketState {
  return {
    id: t.id,
    title: t.title,
    priority: t.priority,
    estimate_minutes: t.estimate,
    dependencies: [...t.dependencies],
    files: [...t.files],
    agent_type: t.agent ?? null,
    acceptance: [...t.acceptance],
    status: 'pending',
    agent: null,
    claimed_at: null,
    lease_expires_at: null,
    heartbeat_at: null,
    started_at: null,
    completed_at: null,
    progress: 0,
    note: null,
    attempts: 0,
    max_attempts: t.max_attempts ?? maxAttempts,
    ...(t.requires?.length ? { requires: [...t.requires] } : {}),
    checkpoint: null,
    blocked_reason: null,
    failure_reason: null,
    summary: null,
    evidence: null,
    review_notes: null,
    reviewer: null,
  };
}

/**
 * The state of a new session (status `planned`, revision 1) for a validated plan. Times are ISO strings.
 * `parallelism` is the strategy's agent count for the plan (see `parallelism.ts`). `settings`: the run's
 * options given to `init` (missing ones take {@link DEFAULT_SETTINGS}; the plan's `max_attempts` wins over
 * the default but not over an explicit `--max-attempts`).
 * @throws ToolError `InvalidPlan` when the plan's tickets cannot be scheduled (a validated plan always can).
 */
export function newSessionState(plan: Plan, id: string, planFile: string | null, now: string, settings: Partial<SessionSettings> = {}): SessionState {
  const full: SessionSettings = { ...DEFAULT_SETTINGS, ...(plan.max_attempts !== undefined ? { max_attempts: plan.max_attempts } : {}), ...settings };
  const tickets = plan.tickets.map((t) => newTicketState(t, full.max_attempts));
  return {
    version: STATE_VERSION,
    id,
    title: plan.title,
    status: 'planned',
    status_reason: null,
    revision: 1,
    agents: plan.agents,
    strategy: plan.strategy,
    parallelism: strategyParallelism({ tickets, agents: plan.agents, strategy: plan.strategy }).parallelism,
    plan_file: planFile,
    created_at: now,
    started_at: null,
    updated_at: now,
    completed_at: null,
    tickets,
    blockers: [],
    escalation: null,
    settings: full,
  };
}
