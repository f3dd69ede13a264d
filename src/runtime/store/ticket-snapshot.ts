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

// Scalars are handled inline (most values of a ticket are): one call per list or mapping, not per value.
// This runs over every ticket on every change, mostly before the process has warmed up.

function flatten(v: object, out: unknown[]): void {
  if (Array.isArray(v)) {
    out.push(LIST, v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === null || typeof x !== 'object') out.push(x);
      else flatten(x, out);
    }
    return;
  }
  out.push(MAP);
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x === null || typeof x !== 'object') out.push(k, x);
    else {
      out.push(k);
      flatten(x, out);
    }
  }
  out.push(END);
}

/** Flattens `tickets` (see the file comment). O(total size of the tickets). */
export function snapshotTickets(tickets: readonly object[]): TicketSnapshot {
  const flat: unknown[] = [];
  const starts: number[] = [];
  for (const t of tickets) {
    starts.push(flat.length);
    if (t === null || typeof t !== 'object') flat.push(t);
    else flatten(t, flat);
  }
  starts.push(flat.length);
  return { refs: [...tickets], flat, starts };
}

/** Walks `v` against `flat` from `pos`; returns the position after it, or -1 at the first difference. */
function walk(v: object, flat: readonly unknown[], pos: number): number {
  let p: number;
  if (Array.isArray(v)) {
    if (flat[pos] !== LIST || flat[pos + 1] !== v.length) return -1;
    p = pos + 2;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === null || typeof x !== 'object') {
        if (flat[p] !== x) return -1;
        p++;
      } else if ((p = walk(x, flat, p)) === -1) return -1;
    }
    return p;
  }
  if (flat[pos] !== MAP) return -1;
  p = pos + 1;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (flat[p] !== k) return -1;
    const x = o[k];
    if (x === null || typeof x !== 'object') {
      if (flat[p + 1] !== x) return -1;
      p += 2;
    } else if ((p = walk(x, flat, p + 1)) === -1) return -1;
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
    const t: unknown = tickets[i];
    const end = t === null || typeof t !== 'object' ? (snap.flat[snap.starts[i]!] === t ? snap.starts[i]! + 1 : -1) : walk(t, snap.flat, snap.starts[i]!);
    out[i] = end !== snap.starts[i + 1];
  }
  return out;
}
