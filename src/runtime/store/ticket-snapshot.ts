/**
 * Which tickets a change touched, without a deep copy of the session: before the change every ticket's value
 * is flattened into one list (keys, scalars, and markers for the shape of lists and mappings); afterwards each
 * ticket is walked again against its part of the list. Any difference — a field set, added or deleted, a list
 * changed in place, a nested mapping edited — marks the ticket changed. Works for any set of fields.
 */

const LIST = Symbol('list');
const MAP = Symbol('map');
const END = Symbol('end');

/** The flattened tickets of a session, before a change. */
export interface TicketSnapshot {
  /** The ticket objects as they were (identity: a change that replaces or reorders tickets is seen). */
  readonly refs: readonly object[];
  readonly flat: readonly unknown[];
  /** Where each ticket's part of `flat` starts (N + 1 entries). */
  readonly starts: readonly number[];
}

function flatten(v: unknown, out: unknown[]): void {
  if (v === null || typeof v !== 'object') {
    out.push(v);
    return;
  }
  if (Array.isArray(v)) {
    out.push(LIST, v.length);
    for (let i = 0; i < v.length; i++) flatten(v[i], out);
    return;
  }
  out.push(MAP);
  const o = v as Record<string, unknown>;
  for (const k in o) {
    out.push(k);
    flatten(o[k], out);
  }
  out.push(END);
}

/** Flattens `tickets` (see the file comment). O(total size of the tickets). */
export function snapshotTickets(tickets: readonly object[]): TicketSnapshot {
  const flat: unknown[] = [];
  const starts: number[] = [];
  for (const t of tickets) {
    starts.push(flat.length);
    flatten(t, flat);
  }
  starts.push(flat.length);
  return { refs: [...tickets], flat, starts };
}

/** Walks `v` against `flat` from `pos`; returns the position after it, or -1 at the first difference. */
function walk(v: unknown, flat: readonly unknown[], pos: number): number {
  if (v === null || typeof v !== 'object') return flat[pos] === v ? pos + 1 : -1;
  if (Array.isArray(v)) {
    if (flat[pos] !== LIST || flat[pos + 1] !== v.length) return -1;
    let p = pos + 2;
    for (let i = 0; i < v.length && p !== -1; i++) p = walk(v[i], flat, p);
    return p;
  }
  if (flat[pos] !== MAP) return -1;
  let p = pos + 1;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (flat[p] !== k) return -1;
    p = walk(o[k], flat, p + 1);
    if (p === -1) return -1;
  }
  return flat[p] === END ? p + 1 : -1;
}

/**
 * For each ticket of `tickets`, whether it differs from `snap` (true = changed); null when the list itself
 * changed (another length, or a ticket object replaced or moved): then every ticket counts as changed.
 */
export function changedTickets(snap: TicketSnapshot, tickets: readonly object[]): boolean[] | null {
  if (tickets.length !== snap.refs.length) return null;
  const out = new Array<boolean>(tickets.length);
  for (let i = 0; i < tickets.length; i++) {
    if (tickets[i] !== snap.refs[i]) return null;
    out[i] = walk(tickets[i], snap.flat, snap.starts[i]!) !== snap.starts[i + 1];
  }
  return out;
}
