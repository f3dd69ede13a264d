import { randomHex } from '../util/unique.ts';
import { ToolError } from '../diagnostics/errors.ts';
import type { Plan } from '../definitions/plan.ts';
import { SESSION_TRANSITIONS, STATE_VERSION, type SessionState, type SessionStatus, type TicketState } from './state.ts';
import type { TxContext } from './store/store.ts';

/**
 * Session lifecycle: building a new session from a plan, and the allowed status transitions
 * (see {@link SESSION_TRANSITIONS} in `state.ts`).
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

/** The state of a new session (status `planned`, revision 1) for a validated plan. Times are ISO strings. */
export function newSessionState(plan: Plan, id: string, planFile: string | null, now: string): SessionState {
  const tickets: TicketState[] = plan.tickets.map((t) => ({
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
    checkpoint: null,
    blocked_reason: null,
    failure_reason: null,
    summary: null,
    evidence: null,
  }));
  return {
    version: STATE_VERSION,
    id,
    title: plan.title,
    status: 'planned',
    status_reason: null,
    revision: 1,
    agents: plan.agents,
    strategy: plan.strategy,
    plan_file: planFile,
    created_at: now,
    started_at: null,
    updated_at: now,
    completed_at: null,
    tickets,
    blockers: [],
    escalation: null,
  };
}

/**
 * Moves `draft` to status `to`, recording a session event (`verb`, before → after) with `reason`.
 * Sets `started_at` on the first `coordinating`, `completed_at` on a final status.
 * @throws ToolError `InvalidTransition` when the move is not allowed (the draft is then discarded: state unchanged).
 */
export function transition(draft: SessionState, tx: TxContext, to: SessionStatus, verb: string, agent: string | null, reason: string | null): void {
  const from = draft.status;
  if (!SESSION_TRANSITIONS[from].includes(to)) {
    const allowed = SESSION_TRANSITIONS[from];
    throw new ToolError('InvalidTransition', `Session \`${draft.id}\` is \`${from}\`; \`${verb}\` would make it \`${to}\`, which is not allowed${allowed.length ? ` (from \`${from}\`: ${allowed.map((s) => `\`${s}\``).join(', ')})` : ` (\`${from}\` is final)`}`);
  }
  draft.status = to;
  draft.status_reason = reason;
  if (to === 'coordinating' && draft.started_at === null) draft.started_at = tx.now;
  if (to === 'completed' || to === 'failed' || to === 'stopped') draft.completed_at = tx.now;
  if (to === 'coordinating') draft.completed_at = null;
  tx.emit({ agent, verb, ticket: null, before: from, after: to, ...(reason ? { data: { reason } } : {}) });
}

/** When every ticket is completed and the session is running, completes the session (one event). */
export function autoComplete(draft: SessionState, tx: TxContext, agent: string | null): void {
  if (draft.status !== 'coordinating' && draft.status !== 'blocked') return;
  if (draft.tickets.every((t) => t.status === 'completed')) transition(draft, tx, 'completed', 'session-complete', agent, 'all tickets completed');
}
