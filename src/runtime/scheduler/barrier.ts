import type { TicketGraph } from './graph.ts';
import { levelIndices } from './levels.ts';
import { listSchedule, type Placement, type Simulation } from './list-schedule.ts';

/**
 * The seeds' way of running a plan, kept as the baseline the benchmark compares against: dependency groups
 * run one after another with a barrier between them — group k+1 starts only when every ticket of group k
 * has finished. Within a group, tickets are list-scheduled in `pos` order with the files rule.
 * Returns the placements (minutes from 0) and the makespan, the sum of the group spans.
 */
export function barrierSchedule(graph: TicketGraph, agents: number, pos: Int32Array): Simulation {
  const placements: Placement[] = [];
  let offset = 0;
  for (const group of levelIndices(graph)) {
    const sim = listSchedule(graph, agents, pos, { subset: group, ignoreDependencies: true });
    for (const p of sim.placements) placements.push({ ...p, start: p.start + offset, end: p.end + offset });
    offset += sim.makespan;
  }
  return { placements, makespan: offset };
}
