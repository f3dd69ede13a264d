import type { TicketGraph } from './graph.ts';
import { listSchedule, type Simulation } from './list-schedule.ts';
import type { ScheduleStrategy } from './types.ts';

/**
 * `balanced` keeps the fewest agents whose schedule is at most this fraction longer than the schedule with
 * every agent (0.10 = within 10 %).
 */
export const BALANCED_TOLERANCE = 0.1;

/**
 * The agent count a strategy chose, with the simulation on that many agents and the reason (a phrase
 * without the count, e.g. `the other 7 would save only 0% of the time`), for reports.
 */
export interface StrategyChoice {
  readonly strategy: ScheduleStrategy;
  readonly agents: number;
  readonly simulation: Simulation;
  readonly reason: string;
}

/**
 * Picks how many of the `available` agents to use (>= 1) and simulates the schedule on them (in `pos`
 * order; `fullSimulation`, when given, is the simulation on all `available` agents in that order).
 * - `maximum`: every agent (pure list scheduling).
 * - `sequential`: one agent; tickets run one at a time in priority order; makespan = total work.
 * - `balanced`: the smallest agent count whose makespan is within {@link BALANCED_TOLERANCE} of the
 *   makespan with every agent. Why: a DAG can only use as many agents as its width allows; agents beyond
 *   that sit idle waiting on dependencies or files yet still cost tokens, worktrees, merge risk and the
 *   coordinator's attention. The count is found by binary search on the agent count (O(log agents)
 *   simulations); list schedules are not strictly monotone in the agent count (Graham's anomalies), so the
 *   found count is checked, and the full count is kept if the check fails.
 */
export function chooseAgents(graph: TicketGraph, strategy: ScheduleStrategy, available: number, pos: Int32Array, fullSimulation?: Simulation): StrategyChoice {
  const max = Math.max(1, Math.floor(available));
  if (strategy === 'sequential') {
    return { strategy, agents: 1, simulation: listSchedule(graph, 1, pos), reason: 'one ticket at a time' };
  }
  const full = fullSimulation ?? listSchedule(graph, max, pos);
  if (strategy === 'maximum' || max === 1) {
    return { strategy, agents: max, simulation: full, reason: 'every agent' };
  }
  const limit = full.makespan * (1 + BALANCED_TOLERANCE);
  const cache = new Map<number, Simulation>([[max, full]]);
  const sim = (k: number): Simulation => {
    let s = cache.get(k);
    if (!s) {
      s = listSchedule(graph, k, pos);
      cache.set(k, s);
    }
    return s;
  };
  let lo = 1;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sim(mid).makespan <= limit) hi = mid;
    else lo = mid + 1;
  }
  const chosen = sim(lo).makespan <= limit ? lo : max;
  const chosenSpan = sim(chosen).makespan;
  const pct = chosenSpan > 0 ? Math.round(((chosenSpan - full.makespan) / chosenSpan) * 100) : 0;
  const reason =
    chosen === max
      ? `fewer would lengthen the schedule by more than ${BALANCED_TOLERANCE * 100}%`
      : `the other ${max - chosen} would save only ${pct}% of the time`;
  return { strategy, agents: chosen, simulation: sim(chosen), reason };
}
