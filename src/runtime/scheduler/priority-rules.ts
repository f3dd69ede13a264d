import { bottomLevelArray } from './critical-path.ts';
import type { TicketGraph } from './graph.ts';
import { listSchedule, type Simulation } from './list-schedule.ts';
import { priorityPositions } from './priority-order.ts';

/**
 * A list-scheduling priority: `key[i]` (minutes, higher first; ties by priority then id). `name` says how
 * it was built, for `schedule --json` (`priorityRule`).
 */
export interface PriorityRule {
  readonly name: string;
  readonly key: Float64Array;
}

/** Weights of the busiest-file term tried by {@link priorityRules}. */
export const FILE_LOAD_WEIGHTS: readonly number[] = [0.25, 0.5, 1];

/**
 * The priority rules `schedule` tries. Always first: `bottom-level` (the longest remaining path). When some
 * file is shared by two or more tickets, also `bottom-level + w × file load` for each w in
 * {@link FILE_LOAD_WEIGHTS}, where file load is the total estimate of the busiest file the ticket touches:
 * starting early on a contended file keeps the tickets queued behind it from delaying the end (with many
 * shared files the files rule, not the dependency graph, decides the makespan; see
 * `bench/schedule-quality.ts`). O(n + e + f) per rule.
 */
export function priorityRules(graph: TicketGraph): PriorityRule[] {
  const bl = bottomLevelArray(graph);
  const rules: PriorityRule[] = [{ name: 'bottom-level', key: bl }];
  const load = new Float64Array(graph.fileNames.length);
  const users = new Uint32Array(graph.fileNames.length);
  graph.files.forEach((fs, i) =>
    fs.forEach((f) => {
      load[f]! += graph.estimate[i]!;
      users[f]!++;
    }),
  );
  if (!users.some((u) => u > 1)) return rules;
  const busiest = new Float64Array(bl.length);
  graph.files.forEach((fs, i) => fs.forEach((f) => users[f]! > 1 && load[f]! > busiest[i]! && (busiest[i] = load[f]!)));
  for (const w of FILE_LOAD_WEIGHTS) rules.push({ name: `bottom-level + ${w} x file load`, key: bl.map((b, i) => b + w * busiest[i]!) });
  return rules;
}

/** The winning rule of {@link bestPriority}: the rule, its scheduling order and its simulation. */
export interface PriorityChoice {
  readonly rule: PriorityRule;
  readonly pos: Int32Array;
  readonly simulation: Simulation;
}

/**
 * Simulates every rule of {@link priorityRules} on `agents` agents and keeps the shortest makespan (the
 * first rule on ties, so plans without shared files always use `bottom-level`). At most 4 simulations.
 */
export function bestPriority(graph: TicketGraph, agents: number): PriorityChoice {
  let best: PriorityChoice | null = null;
  for (const rule of priorityRules(graph)) {
    const pos = priorityPositions(graph, rule.key);
    const simulation = listSchedule(graph, agents, pos);
    if (best === null || simulation.makespan < best.simulation.makespan - 1e-9) best = { rule, pos, simulation };
  }
  return best!;
}
