import { computeBottomLevels } from '../scheduler/choose-next.ts';
import type { SessionState, TicketState } from '../state.ts';

/**
 * The claim priorities of a session (the scheduler's bottom levels by ticket id: a ticket's estimate plus the
 * longest chain of estimates after it, in minutes), kept with the state instead of recomputed on every claim.
 * They depend only on the tickets' ids, estimates and dependencies, which no claim changes: the store keeps
 * them in the session cache (`state-cache.ts`) and carries them over a write that left those fields alone.
 * In memory they hang off the state object they were computed for (a WeakMap: nothing is added to the state).
 */

interface Known {
  /** The priorities, once parsed or computed. */
  keys: Record<string, number> | null;
  /** Their JSON bytes as read from the cache, when not parsed yet (a write can store them again as they are). */
  bytes: Buffer | null;
}

const known = new WeakMap<SessionState, Known>();

/** Records priorities read from the cache as JSON bytes for `state` (parsed on first use). */
export function rememberPriorityBytes(state: SessionState, bytes: Buffer): void {
  known.set(state, { keys: null, bytes });
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
  known.set(state, { keys, bytes: null });
  return keys;
}

/** The priorities known for `state` to store in its cache (bytes as read, or the parsed/computed keys), or null. */
export function storedPriorities(state: SessionState): Buffer | Record<string, number> | null {
  const k = known.get(state);
  return k?.bytes ?? k?.keys ?? null;
}

/** True when `a` and `b` agree on what the priorities depend on: id, estimate and dependencies. */
export function samePlanFields(a: Pick<TicketState, 'id' | 'estimate_minutes' | 'dependencies'>, b: Pick<TicketState, 'id' | 'estimate_minutes' | 'dependencies'>): boolean {
  if (a.id !== b.id || a.estimate_minutes !== b.estimate_minutes) return false;
  const da = a.dependencies;
  const db = b.dependencies;
  if (!Array.isArray(da) || !Array.isArray(db) || da.length !== db.length) return false;
  for (let i = 0; i < da.length; i++) if (da[i] !== db[i]) return false;
  return true;
}
