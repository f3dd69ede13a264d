import { BALANCED_TOLERANCE } from './scheduler/strategy.ts';
import type { SessionState } from './state.ts';

/**
 * How many tickets of a session may run at once, read from the state alone (no scheduling: `claim` calls
 * this on every call and must stay fast). The balanced count itself is computed by `parallelism.ts` at
 * `init`, `activate` and `adjust` and stored as `parallelism`.
 */

/** The claim limit and where it came from, for messages and `status --json`. */
export interface ParallelismLimit {
  /** Most tickets running at once, >= 1. */
  limit: number;
  /** One phrase naming the rule, e.g. `strategy balanced: 2 of 4 agents, …`. */
  source: string;
}

/**
 * The limit of `state`:
 * - `sequential`: 1;
 * - `maximum`: `agents`;
 * - `balanced`: the stored `parallelism`, capped at `agents` (a hand edit may have lowered `agents`); `agents`
 *   when the state file predates the field.
 * Never throws; `agents` below 1 counts as 1.
 */
export function parallelismOf(state: Pick<SessionState, 'agents' | 'strategy' | 'parallelism'>): ParallelismLimit {
  const agents = Math.max(1, state.agents);
  if (state.strategy === 'sequential') return { limit: 1, source: 'strategy sequential: one ticket at a time' };
  if (state.strategy === 'maximum') return { limit: agents, source: `strategy maximum: every one of the ${agents} agents` };
  const stored = state.parallelism;
  if (stored === undefined || !Number.isInteger(stored) || stored < 1) {
    return { limit: agents, source: `strategy balanced: all ${agents} agents (no balanced count recorded; \`adjust --agents ${agents}\` computes it)` };
  }
  const limit = Math.min(stored, agents);
  const pct = `${BALANCED_TOLERANCE * 100}%`;
  const why =
    limit < agents
      ? `${limit} of ${agents} agents, the fewest whose estimated makespan stays within ${pct} of using all ${agents}`
      : agents === 1
        ? 'the only agent'
        : `all ${agents} agents, as fewer would lengthen the estimated makespan by more than ${pct}`;
  return { limit, source: `strategy balanced: ${why}; computed at activate/adjust` };
}

/** {@link parallelismOf}'s `limit`: how many tickets may run at once. */
export function parallelismLimit(state: Pick<SessionState, 'agents' | 'strategy' | 'parallelism'>): number {
  return parallelismOf(state).limit;
}
