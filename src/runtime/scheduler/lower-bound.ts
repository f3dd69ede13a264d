import type { TicketGraph } from './graph.ts';

/**
 * The parts of the makespan lower bound, all in minutes. No schedule on `agents` agents can be shorter than
 * any of them:
 * - `criticalPath`: the longest dependency chain;
 * - `workPerAgent`: total work / agents;
 * - `longestTicket`: the longest single estimate;
 * - `fileLoad`: the most work that touches one file (those tickets run one at a time, by the files rule).
 */
export interface LowerBoundParts {
  readonly criticalPath: number;
  readonly workPerAgent: number;
  readonly longestTicket: number;
  readonly fileLoad: number;
}

/**
 * The lower bound parts for `agents` agents given the critical path length (minutes). O(n + f).
 * The bound itself is the maximum of the parts ({@link lowerBoundOf}).
 */
export function lowerBoundParts(graph: TicketGraph, agents: number, criticalPathLength: number): LowerBoundParts {
  let work = 0;
  let longest = 0;
  const load = new Float64Array(graph.fileNames.length);
  for (let i = 0; i < graph.ids.length; i++) {
    const e = graph.estimate[i]!;
    work += e;
    if (e > longest) longest = e;
    for (const f of graph.files[i]!) load[f]! += e;
  }
  let fileLoad = 0;
  for (const l of load) if (l > fileLoad) fileLoad = l;
  return { criticalPath: criticalPathLength, workPerAgent: work / Math.max(1, agents), longestTicket: longest, fileLoad };
}

/**
 * The makespan lower bound in minutes: the maximum of the parts. With `classicOnly` the file-load part is
 * left out (max(critical path, work / agents, longest ticket), the textbook bound).
 */
export function lowerBoundOf(parts: LowerBoundParts, classicOnly = false): number {
  const base = Math.max(parts.criticalPath, parts.workPerAgent, parts.longestTicket);
  return classicOnly ? base : Math.max(base, parts.fileLoad);
}

/** Total work in minutes: the sum of all estimates. */
export function totalWork(graph: TicketGraph): number {
  let w = 0;
  for (const e of graph.estimate) w += e;
  return w;
}
