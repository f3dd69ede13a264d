import { compareClaim, computeBottomLevels } from '../scheduler/choose-next.ts';
import type { SessionState, TicketState } from '../state.ts';

/**
 * The claim priorities of a session (the scheduler's bottom levels by ticket id: a ticket's estimate plus the
 * longest chain of estimates after it, in minutes), kept with the state instead of recomputed on every claim,
 * and the claim order they give (ticket positions sorted the way `chooseNext` ranks ready tickets: priority key
 * first, then the ticket's priority, then the id), so a claim takes the first ready ticket of that order
 * instead of ranking them all. Both depend only on the tickets' ids, estimates, dependencies, priorities and
 * order, which no claim changes: the store keeps them in the session cache (`state-cache.ts`) and carries them
 * over a write that left those fields alone. In memory they hang off the state object they were computed for
 * (a WeakMap: nothing is added to the state).
 */

interface Known {
  /** The priorities, once parsed or computed. */
  keys: Record<string, number> | null;
  /** Their JSON bytes as read from the cache, when not parsed yet (a write can store them again as they are). */
  bytes: Buffer | null;
  /** The claim order's JSON bytes as read, or null (computed when a write stores the priorities). */
  order: Buffer | null;
}

const known = new WeakMap<SessionState, Known>();

/** Records priorities (and the claim order, when stored) read from the cache as JSON bytes for `state` (parsed on first use). */
export function rememberPriorityBytes(state: SessionState, bytes: Buffer, order: Buffer | null = null): void {
  known.set(state, { keys: null, bytes, order });
}

/** Makes `to` share the priorities known for `from` (a copy of the same session). */
export function carryPriorities(from: SessionState, to: SessionState): void {
  const k = known.get(from);
  if (k) known.set(to, k);
}

/** Forgets the priorities of `state` (its tickets' ids, estimates or dependencies changed). */
export function forgetPriorities(state: SessionState): void {
  known.delete(state);
}

/**
 * The claim priorities of `state`: as stored with it, else computed now (O(n + e)) and remembered.
 * @throws ToolError `InvalidPlan` on duplicate ids, unknown dependencies or a cycle (see `computeBottomLevels`).
 */
export function claimPriorityKeys(state: SessionState): Record<string, number> {
  const k = known.get(state);
  if (k?.keys) return k.keys;
  if (k?.bytes) {
    try {
      k.keys = JSON.parse(k.bytes.toString('utf8')) as Record<string, number>;
      return k.keys;
    } catch {
      /* a damaged cache: compute */
    }
  }
  const keys = computeBottomLevels(state.tickets.map((t) => ({ id: t.id, estimate: t.estimate_minutes, priority: t.priority, dependencies: t.dependencies, files: t.files })));
  known.set(state, { keys, bytes: null, order: null });
  return keys;
}

/**
 * The positions of `tickets` in claim order, best first: priority key (`keys[id]`, else the estimate) high
 * first, then priority (critical first), then id — `chooseNext`'s ranking, so the first ready ticket of this
 * order is the one `chooseNext` picks. O(n log n).
 */
export function claimOrder(tickets: readonly Pick<TicketState, 'id' | 'estimate_minutes' | 'priority'>[], keys: Readonly<Record<string, number>>): number[] {
  const level = tickets.map((t) => keys[t.id] ?? t.estimate_minutes);
  return tickets.map((_, i) => i).sort((a, b) => compareClaim(tickets[a]!, level[a]!, tickets[b]!, level[b]!));
}

/**
 * What to store in the cache for `state`: its priorities (bytes as read, or the parsed/computed keys) and the
 * claim order (bytes as read, else computed from them: O(n log n)), or nulls when none are known.
 * `compute`: compute the priorities when none are known (a write that had to build the whole state anyway);
 * a plan they cannot be computed for (a cycle, an unknown dependency) stores none.
 */
export function storedPriorities(state: SessionState, compute = false): { priorities: Buffer | Record<string, number> | null; order: Buffer | number[] | null } {
  let k = known.get(state);
  if (!k && compute && Array.isArray(state.tickets) && state.tickets.length > 0) {
    try {
      claimPriorityKeys(state);
      k = known.get(state);
    } catch {
      return { priorities: null, order: null };
    }
  }
  if (!k) return { priorities: null, order: null };
  if (k.order) return { priorities: k.bytes ?? k.keys, order: k.order };
  try {
    return { priorities: k.bytes ?? k.keys, order: claimOrder(state.tickets, claimPriorityKeys(state)) };
  } catch {
    return { priorities: k.bytes ?? k.keys, order: null };
  }
}

/** True when `a` and `b` agree on what the priorities and the claim order depend on: id, estimate, priority and dependencies. */
export function samePlanFields(a: Pick<TicketState, 'id' | 'estimate_minutes' | 'priority' | 'dependencies'>, b: Pick<TicketState, 'id' | 'estimate_minutes' | 'priority' | 'dependencies'>): boolean {
  if (a.id !== b.id || a.estimate_minutes !== b.estimate_minutes || a.priority !== b.priority) return false;
  const da = a.dependencies;
  const db = b.dependencies;
  if (!Array.isArray(da) || !Array.isArray(db) || da.length !== db.length) return false;
  for (let i = 0; i < da.length; i++) if (da[i] !== db[i]) return false;
  return true;
}
