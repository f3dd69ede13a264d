import { autoComplete } from './session.ts';
import { HELD_TICKET_STATUSES, RUNNING_TICKET_STATUSES, type SessionState, type TicketState, type TicketStatus } from './state.ts';
import type { ClaimIndex } from './store/claim-index.ts';
import type { IndexedDraft } from './store/indexed-session.ts';
import type { TxContext } from './store/store.ts';
import { checkCompleteInput, holdsAnswer, limitAnswer, notCoordinating, recordCompletion, takeTicket, type ClaimResult, type CompleteInput } from './tickets.ts';

/**
 * `claim` and `complete` decided from the claim index (`store/claim-index.ts`) instead of the whole state: the
 * same decisions as `claimNext` / `completeTicket` (tested against them on random sessions), for the common
 * case only. Whatever the index alone cannot settle answers null, and the caller takes the full path: a lease
 * to expire, a ticket with requirements on other sessions, nothing ready (the full path says why), a ticket to
 * complete that is not running under the caller's name.
 *
 * The choice: the first ticket of the stored claim order (`priorities.ts`: `chooseNext`'s ranking, computed
 * once per plan) that is pending, whose dependencies are all completed and none of whose files a running
 * ticket holds — which is the ticket `chooseNext` picks, found without ranking every ticket.
 */

const RUNNING: readonly TicketStatus[] = RUNNING_TICKET_STATUSES;
const SKIPPED: readonly TicketStatus[] = ['completed', ...RUNNING_TICKET_STATUSES, ...HELD_TICKET_STATUSES];

/** What the index says a claim does: take the ticket at position `pick`, or give `answer` (nothing written). */
export type IndexedChoice = { pick: number } | { answer: ClaimResult };

/**
 * What `claimNext` would do for `agent` at `nowMs` (ms since the epoch) on the session with fields `head`, rows
 * `index` and claim order `order` — or null when the index cannot tell (see the file comment). Scans the
 * status bytes (O(n), no parse) and parses the rows of the running tickets and of the tickets of the order it
 * looks at; no ticket is materialised. @throws DamagedCache on a row that does not parse.
 */
export function chooseIndexed(head: Pick<SessionState, 'status' | 'agents' | 'strategy' | 'parallelism'>, index: ClaimIndex, order: readonly number[], nowMs: number, agent: string): IndexedChoice | null {
  if (head.status !== 'coordinating') return { answer: notCoordinating(head) };
  let running = 0;
  let held = -1;
  const taken = new Set<string>();
  for (let i = 0; i < index.length; i++) {
    const status = index.status(i);
    if (status === null) return null; // a status the index does not code: the full path
    if (!RUNNING.includes(status)) continue;
    const lease = index.lease(i);
    if (lease !== null && Date.parse(lease) <= nowMs) return null; // a lease to expire: the full path
    running++;
    if (held === -1 && index.agent(i) === agent) held = i;
    for (const f of index.files(i)) taken.add(f);
  }
  if (held !== -1) return { answer: holdsAnswer(agent, index.id(held), index.status(held)!) };
  const full = limitAnswer(head, running);
  if (full) return { answer: full };
  for (const i of order) {
    if (SKIPPED.includes(index.status(i)!)) continue;
    if (index.requires(i) > 0) return null; // requirements on other sessions: the full path reads them
    if (!index.dependencies(i).every((j) => j !== -1 && index.status(j) === 'completed')) continue;
    if (taken.size > 0 && index.files(i).some((f) => taken.has(f))) continue;
    return { pick: i };
  }
  return null; // nothing ready: the full path says why
}

/**
 * `claimNext` on an indexed draft: claims the ticket {@link chooseIndexed} picks (see `takeTicket`) and returns
 * it, or returns its answer (nothing recorded), or null (nothing recorded: take the full path).
 */
export function claimIndexed(d: IndexedDraft, tx: TxContext, agent: string, leaseMs: number, checkpoint: string | null): ClaimResult | null {
  const c = chooseIndexed(d.head, d.index, d.order, tx.nowMs, agent);
  if (c === null || 'answer' in c) return c?.answer ?? null;
  const t = d.ticket(c.pick);
  takeTicket(d.head, tx, t, agent, leaseMs, checkpoint);
  return { ticket: t, code: 'ok' };
}

/** What {@link completeIndexed} recorded: the ticket, and the session's completed and total ticket counts after it. */
export interface IndexedCompletion {
  ticket: TicketState;
  completed: number;
  total: number;
}

/**
 * `completeTicket` on an indexed draft, for a ticket running under `input.agent`: records the result (see
 * `recordCompletion`) and completes the session when it was the last ticket. Null (nothing recorded) for any
 * other case: the full path gives the answer or the error.
 * @throws ToolError `InvalidArguments` as `checkCompleteInput`.
 */
export function completeIndexed(d: IndexedDraft, tx: TxContext, input: CompleteInput): IndexedCompletion | null {
  checkCompleteInput(input);
  const i = d.index.indexOf(input.ticket);
  const status = i === -1 ? null : d.index.status(i);
  if (status === null || !RUNNING.includes(status) || d.index.agent(i) !== input.agent) return null;
  const t = d.ticket(i);
  recordCompletion(d.head, tx, t, input);
  let completed = t.status === 'completed' ? 1 : 0;
  for (let j = 0; j < d.index.length; j++) if (j !== i && d.index.status(j) === 'completed') completed++;
  autoComplete(d.head, tx, input.agent, completed === d.index.length);
  return { ticket: t, completed, total: d.index.length };
}
