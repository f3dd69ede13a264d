import { ToolError } from '../diagnostics/errors.ts';
import { SESSION_TRANSITIONS, type SessionState, type SessionStatus } from './state.ts';
import type { TxContext } from './store/store.ts';

/**
 * Session lifecycle: the allowed status transitions (see {@link SESSION_TRANSITIONS} in `state.ts`).
 * A new session is built by `new-session.ts`.
 */

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

/**
 * When every ticket is completed and the session is running, completes the session (one event). `allDone`:
 * whether every ticket is completed, when the caller knows it without `draft.tickets` (the claim index).
 */
export function autoComplete(draft: SessionState, tx: TxContext, agent: string | null, allDone?: boolean): void {
  if (draft.status !== 'coordinating' && draft.status !== 'blocked') return;
  if (allDone ?? draft.tickets.every((t) => t.status === 'completed')) transition(draft, tx, 'completed', 'session-complete', agent, 'all tickets completed');
}
