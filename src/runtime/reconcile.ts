import type { SessionState, StateEvent } from './state.ts';
import type { TxContext } from './store/store.ts';

/**
 * Bringing the event log back into agreement with the state file (`resume`). The state file is the truth (it
 * may carry hand edits); the log is repaired by appending `reconcile` events, never by rewriting old lines.
 */

/** A run of seqs missing from the log, `from` ≤ `to`, both inclusive. */
export interface SeqRange {
  from: number;
  to: number;
}

/** A ticket whose state status differs from the `after` of its last logged event (`pending` when none). */
export interface TicketDrift {
  ticket: string;
  logged: string;
  state: string;
}

/**
 * What differs between a state and its log.
 * - `tickets`: per ticket, in plan order.
 * - `lost`: seqs from 1 to the revision that no line of the log holds (deleted or unreadable lines, or a log
 *   that ends below the revision), minus those an earlier `reconcile` event already recorded in `data.lost`.
 * - `uncommitted`: events with seq above the revision (left by a writer that died before replacing the
 *   state); the next write cuts them off (`appendEvents`).
 */
export interface LogDrift {
  tickets: TicketDrift[];
  lost: SeqRange[];
  uncommitted: number;
}

/** True when `d` holds nothing to repair. */
export function isInAgreement(d: LogDrift): boolean {
  return d.tickets.length === 0 && d.lost.length === 0 && d.uncommitted === 0;
}

/** The `data.lost` ranges of an event, when it is a `reconcile` event that recorded some (else []). */
function recordedLost(e: StateEvent): SeqRange[] {
  if (e.verb !== 'reconcile' || !Array.isArray(e.data?.lost)) return [];
  return (e.data.lost as unknown[]).filter((r): r is SeqRange => {
    const x = r as Partial<SeqRange> | null;
    return x !== null && typeof x === 'object' && Number.isInteger(x.from) && Number.isInteger(x.to);
  });
}

/**
 * Seqs from 1 to `revision` that `known` (single seqs and recorded ranges, any order) does not cover, as
 * ranges in ascending order. O(k log k) in the number of known items, whatever `revision` is.
 */
function missingRanges(known: SeqRange[], revision: number): SeqRange[] {
  const sorted = known.filter((r) => r.to >= 1 && r.from <= revision && r.from <= r.to).sort((a, b) => a.from - b.from);
  const out: SeqRange[] = [];
  let next = 1; // the lowest seq not yet known to be covered
  for (const r of sorted) {
    if (r.from > next) out.push({ from: next, to: r.from - 1 });
    next = Math.max(next, r.to + 1);
  }
  if (next <= revision) out.push({ from: next, to: revision });
  return out;
}

/** Compares `state` with `events` (the whole log, in file order). Pure; O(e log e + tickets). */
export function findLogDrift(state: SessionState, events: readonly StateEvent[]): LogDrift {
  const committed = events.filter((e) => e.seq <= state.revision);
  const known: SeqRange[] = [];
  const lastAfter = new Map<string, string>();
  for (const e of committed) {
    if (Number.isInteger(e.seq)) known.push({ from: e.seq, to: e.seq });
    known.push(...recordedLost(e));
    if (e.ticket !== null && e.after !== null) lastAfter.set(e.ticket, e.after);
  }
  const tickets: TicketDrift[] = [];
  for (const t of state.tickets) {
    const logged = lastAfter.get(t.id) ?? 'pending';
    if (logged !== t.status) tickets.push({ ticket: t.id, logged, state: t.status });
  }
  const uncommitted = events.filter((e) => typeof e.seq === 'number' && e.seq > state.revision).length;
  return { tickets, lost: missingRanges(known, state.revision), uncommitted };
}

/** `drift` as one line per difference, for people. */
export function describeDrift(drift: LogDrift): string[] {
  return [
    ...drift.lost.map((r) => `log lacks ${r.from === r.to ? `seq ${r.from}` : `seqs ${r.from}-${r.to}`}`),
    ...drift.tickets.map((d) => `ticket ${d.ticket}: state says ${d.state}, log says ${d.logged}`),
    ...(drift.uncommitted > 0 ? [`${drift.uncommitted} event(s) above the state revision`] : []),
  ];
}

/**
 * Appends to the log what makes it agree with `draft` (`drift` = {@link findLogDrift} of `draft`): one
 * `reconcile` event per drifting ticket (`before` = the logged status, `after` = the state's), and, when seqs
 * were lost or events were uncommitted, one session `reconcile` event with `data.lost` (the ranges, so the
 * next check counts them as known) and `data.discarded_events` (the uncommitted events this write cuts off).
 * Changes no state field. Afterwards `findLogDrift` of the committed result is empty.
 */
export function repairLog(draft: SessionState, tx: TxContext, drift: LogDrift): void {
  for (const d of drift.tickets) {
    tx.emit({ agent: null, verb: 'reconcile', ticket: d.ticket, before: d.logged, after: d.state, data: { reason: 'state file differs from the log; the state file wins' } });
  }
  if (drift.lost.length > 0 || drift.uncommitted > 0) {
    tx.emit({ agent: null, verb: 'reconcile', ticket: null, before: draft.status, after: draft.status, data: { lost: drift.lost, discarded_events: drift.uncommitted } });
  }
}
