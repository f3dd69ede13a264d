import { bottomLevelArray, earliestStartArray } from './critical-path.ts';
import type { TicketGraph } from './graph.ts';

/**
 * The parts of the makespan lower bound, all in minutes. No schedule on `agents` agents can be shorter than
 * any of them:
 * - `criticalPath`: the longest dependency chain;
 * - `workPerAgent`: total work / agents;
 * - `longestTicket`: the longest single estimate;
 * - `fileLoad`: tickets touching one file run one at a time (the files rule), so for every file and every
 *   set S of its tickets that cannot start before r (earliest start): r + work of S + the shortest chain
 *   that must follow a ticket of S. With r = 0 and no tail this is the file's total work.
 * - `filePairs`: two tickets i, j sharing a file run one after the other; whichever goes first, the
 *   longest path through that order is at least min(es_i + p_i + bl_j, es_j + p_j + bl_i) (es = earliest
 *   start, p = estimate, bl = bottom level). Skipped (0) when the pairs exceed {@link MAX_FILE_PAIRS}.
 */
export interface LowerBoundParts {
  readonly criticalPath: number;
  readonly workPerAgent: number;
  readonly longestTicket: number;
  readonly fileLoad: number;
  readonly filePairs: number;
}

/** Most ticket pairs sharing a file that the `filePairs` bound examines (it is O(pairs)). */
export const MAX_FILE_PAIRS = 2_000_000;

/**
 * The lower bound parts for `agents` agents given the critical path length (minutes).
 * O(n + e + f log f + pairs), pairs capped at {@link MAX_FILE_PAIRS}. The bound is the maximum of the
 * parts ({@link lowerBoundOf}).
 */
export function lowerBoundParts(graph: TicketGraph, agents: number, criticalPathLength: number): LowerBoundParts {
  let work = 0;
  let longest = 0;
  for (const e of graph.estimate) {
    work += e;
    if (e > longest) longest = e;
  }
  const byFile: number[][] = graph.fileNames.map(() => []);
  graph.files.forEach((fs, i) => fs.forEach((f) => byFile[f]!.push(i)));
  let fileLoad = 0;
  let filePairs = 0;
  if (byFile.length > 0) {
    const es = earliestStartArray(graph);
    const bl = bottomLevelArray(graph);
    let pairs = 0;
    for (const ts of byFile) pairs += (ts.length * (ts.length - 1)) / 2;
    for (const ts of byFile) {
      ts.sort((a, b) => es[a]! - es[b]!);
      let sum = 0;
      let minTail = Infinity;
      for (let k = ts.length - 1; k >= 0; k--) {
        const i = ts[k]!;
        sum += graph.estimate[i]!;
        minTail = Math.min(minTail, bl[i]! - graph.estimate[i]!);
        fileLoad = Math.max(fileLoad, es[i]! + sum + minTail);
      }
      if (pairs > MAX_FILE_PAIRS) continue;
      for (let a = 0; a < ts.length; a++) {
        const i = ts[a]!;
        for (let b = a + 1; b < ts.length; b++) {
          const j = ts[b]!;
          const v = Math.min(es[i]! + graph.estimate[i]! + bl[j]!, es[j]! + graph.estimate[j]! + bl[i]!);
          if (v > filePairs) filePairs = v;
        }
      }
    }
  }
  return { criticalPath: criticalPathLength, workPerAgent: work / Math.max(1, agents), longestTicket: longest, fileLoad, filePairs };
}

/**
 * The makespan lower bound in minutes: the maximum of the parts. With `classicOnly` the file parts are
 * left out (max(critical path, work / agents, longest ticket), the textbook bound).
 */
export function lowerBoundOf(parts: LowerBoundParts, classicOnly = false): number {
  const base = Math.max(parts.criticalPath, parts.workPerAgent, parts.longestTicket);
  return classicOnly ? base : Math.max(base, parts.fileLoad, parts.filePairs);
}

/** Total work in minutes: the sum of all estimates. */
export function totalWork(graph: TicketGraph): number {
  let w = 0;
  for (const e of graph.estimate) w += e;
  return w;
}
