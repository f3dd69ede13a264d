import { ToolError } from '../diagnostics/errors.ts';
import { autoComplete, transition } from './session.ts';
import { maxAttemptsOf, outOfAttempts } from './settings.ts';
import type { GateRecord, SessionState, TicketState } from './state.ts';
import { findTicket } from './tickets.ts';
import type { TxContext } from './store/store.ts';

/**
 * The gates a ticket passes after its agent is done (docs/contracts.md §6): `retry` of a failed ticket, and
 * the review gate of `comprehensive` validation (`approve` / `reject`). Each is applied to a draft inside a
 * store transaction and throws ToolError for a change not allowed now (state unchanged).
 */

/** Input of {@link retryTicket}. `grant`: attempts to add beyond the limit (`retry --attempts N`), or 0. */
export interface RetryInput {
  ticket: string;
  agent: string | null;
  grant: number;
  /** True when `next` retries on its own (recorded as `data.auto`). */
  auto: boolean;
}

/**
 * Puts a `failed` ticket back to `pending` for another attempt (event `retry`). Its `failure_reason` stays,
 * so the next attempt's prompt carries it. A `failed` session re-opens (`coordinating`, event `reopen`).
 * @throws ToolError `InvalidTransition` when the ticket is not failed, or has used its attempts (`attempts` ≥
 *   `max_attempts`) and `grant` is 0 — the message names the limit and the flag that raises it.
 */
export function retryTicket(draft: SessionState, tx: TxContext, input: RetryInput): TicketState {
  const t = findTicket(draft, input.ticket);
  if (t.status !== 'failed') throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` is \`${t.status}\`; only a failed ticket can be retried`);
  if (input.grant > 0) t.max_attempts = t.attempts + input.grant;
  else if (outOfAttempts(draft, t)) {
    throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` has used ${t.attempts} of ${maxAttemptsOf(draft, t)} attempts`, { hint: `Grant more with \`retry ${t.id} --attempts N\`. State file unchanged.` });
  }
  if (draft.status === 'failed') transition(draft, tx, 'coordinating', 'reopen', input.agent, `retry of ${t.id}`);
  t.status = 'pending';
  t.completed_at = null;
  t.progress = 0;
  tx.emit({ agent: input.agent, verb: 'retry', ticket: t.id, before: 'failed', after: 'pending', data: { reason: t.failure_reason, attempts: t.attempts, max_attempts: maxAttemptsOf(draft, t), ...(input.auto ? { auto: true } : {}) } });
  return t;
}

/** The ticket `id`, which must be in `review`. @throws ToolError `InvalidTransition` otherwise. */
function inReview(draft: SessionState, id: string, verb: string): TicketState {
  const t = findTicket(draft, id);
  if (t.status !== 'review') {
    throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` is \`${t.status}\`; \`${verb}\` needs a ticket in \`review\` (completed by its agent under comprehensive validation)`);
  }
  return t;
}

/**
 * `approve`: a ticket in `review` becomes `completed` (its dependants become ready; the session completes
 * when it was the last). Event `approve` with the reviewer and note.
 */
export function approveTicket(draft: SessionState, tx: TxContext, input: { ticket: string; agent: string | null; note: string | null }): TicketState {
  const t = inReview(draft, input.ticket, 'approve');
  t.status = 'completed';
  t.reviewer = null;
  t.review_notes = null;
  tx.emit({ agent: input.agent, verb: 'approve', ticket: t.id, before: 'review', after: 'completed', data: input.note ? { note: input.note } : {} });
  autoComplete(draft, tx, input.agent);
  return t;
}

/**
 * `reject --reason R`: a ticket in `review` goes back to `pending` with `review_notes` = R for its next
 * attempt (the rejected attempt counts); out of attempts it becomes `failed` ("rejected in review: R").
 * Event `reject`.
 */
export function rejectTicket(draft: SessionState, tx: TxContext, input: { ticket: string; agent: string | null; reason: string }): TicketState {
  const t = inReview(draft, input.ticket, 'reject');
  const exhausted = outOfAttempts(draft, t);
  t.status = exhausted ? 'failed' : 'pending';
  t.reviewer = null;
  t.review_notes = input.reason;
  t.progress = 0;
  t.completed_at = exhausted ? tx.now : null;
  if (exhausted) t.failure_reason = `rejected in review: ${input.reason}`;
  tx.emit({ agent: input.agent, verb: 'reject', ticket: t.id, before: 'review', after: t.status, data: { reason: input.reason, attempts: t.attempts } });
  return t;
}

/** Input of {@link recordGate}. */
export type GateInput = Omit<GateRecord, 'at'>;

/**
 * `gate --level stream|system [--group N] --verdict pass|fail`: records a quality gate in the session
 * (`gates`, event `gate`); it survives resume and shows in the report, whose recommended next step follows a
 * failed system gate. A stream gate names an existing dependency group.
 * @throws ToolError `InvalidArguments` for a stream gate without a group or with a group the session lacks.
 */
export function recordGate(draft: SessionState, tx: TxContext, input: GateInput, groups: number): GateRecord {
  if (input.level === 'stream' && (input.group === null || input.group < 1 || input.group > groups)) {
    throw new ToolError('InvalidArguments', `A stream gate needs \`--group N\` with N from 1 to ${groups} (the session's dependency groups)`);
  }
  const g: GateRecord = { ...input, group: input.level === 'system' ? null : input.group, at: tx.now };
  draft.gates = [...(draft.gates ?? []), g];
  tx.emit({ agent: input.reviewer, verb: 'gate', ticket: null, before: null, after: input.verdict, data: { level: g.level, group: g.group, notes: g.notes } });
  return g;
}
