import { schedule } from './scheduler/schedule.ts';
import type { SchedulableTicket } from './scheduler/types.ts';
import type { SessionState } from './state.ts';
import type { TxContext } from './store/store.ts';

/**
 * The strategy's agent count of a session (stored as `parallelism`, read by `claim` through
 * `parallelism-limit.ts`). Runs the scheduler, so it is loaded with `await import(...)` and called only at
 * `init`, `activate` and `adjust` — never on `claim`.
 */

/**
 * The session's remaining work as scheduler input: every ticket not `completed`, in plan order, with its
 * completed dependencies left out (they no longer constrain anything).
 */
export function remainingTickets(state: Pick<SessionState, 'tickets'>): SchedulableTicket[] {
  const done = new Set(state.tickets.filter((t) => t.status === 'completed').map((t) => t.id));
  return state.tickets
    .filter((t) => !done.has(t.id))
    .map((t) => ({ id: t.id, estimate: t.estimate_minutes, priority: t.priority, dependencies: t.dependencies.filter((d) => !done.has(d)), files: t.files }));
}

/** What {@link strategyParallelism} chose: the agent count (>= 1) and the scheduler's reason, one phrase. */
export interface ParallelismChoice {
  parallelism: number;
  reason: string;
}

/**
 * The scheduler's `agentsUsed` for the remaining tickets of `state` with its `agents` and `strategy`
 * (`sequential` 1, `maximum` every agent — both without simulating —, `balanced` the fewest agents whose
 * estimated makespan stays within 10 % of using every agent, by the scheduler's `schedule`). With nothing
 * left to schedule: every agent (1 for `sequential`).
 * @throws ToolError `InvalidPlan` when the tickets do not form a schedulable graph (a hand edit made a cycle
 *   or an unknown dependency) — the caller's transaction is then dropped, state unchanged.
 */
export function strategyParallelism(state: Pick<SessionState, 'tickets' | 'agents' | 'strategy'>): ParallelismChoice {
  const agents = Math.max(1, state.agents);
  // `maximum` and `sequential` need no simulation (the scheduler's chooseAgents answers the same).
  if (state.strategy === 'sequential') return { parallelism: 1, reason: 'one ticket at a time' };
  if (state.strategy === 'maximum') return { parallelism: agents, reason: 'every agent' };
  const tickets = remainingTickets(state);
  if (tickets.length === 0) return { parallelism: agents, reason: 'nothing left to schedule' };
  const r = schedule(tickets, { agents, strategy: state.strategy });
  return { parallelism: r.agentsUsed, reason: r.strategyReason };
}

/**
 * Recomputes `draft.parallelism` ({@link strategyParallelism}). When it changed, records one `parallelism`
 * event (`data`: agents, strategy, parallelism, previous, `by` = the verb that caused it, and `reason`, one
 * line such as `balanced: 2 of 4 agents (the other 2 would save only 0% of the time)`) and
 * returns true; otherwise changes nothing and returns false.
 */
export function refreshParallelism(draft: SessionState, tx: TxContext, by: string): boolean {
  const choice = strategyParallelism(draft);
  const previous = draft.parallelism ?? null;
  if (previous === choice.parallelism) return false;
  draft.parallelism = choice.parallelism;
  tx.emit({
    agent: null,
    verb: 'parallelism',
    ticket: null,
    before: null,
    after: null,
    data: { agents: draft.agents, strategy: draft.strategy, parallelism: choice.parallelism, previous, by, reason: `${draft.strategy}: ${choice.parallelism} of ${draft.agents} agents (${choice.reason})` },
  });
  return true;
}
