import type { TicketGraph } from './graph.ts';
import { EPS } from './types.ts';

/**
 * Per-ticket timing of the dependency graph with unlimited agents and no file rule (all in minutes):
 * - `earliestStart`: longest path of estimates from any source to the ticket (its "top level").
 * - `latestStart`: the latest start that still finishes everything within the critical path length.
 * - `slack`: `latestStart - earliestStart`; 0 on a critical path.
 * - `bottomLevel`: the ticket's estimate plus the longest path after it (its "longest remaining path"),
 *   the list scheduler's first priority key.
 */
export interface TicketTiming {
  readonly ticket: string;
  readonly earliestStart: number;
  readonly latestStart: number;
  readonly slack: number;
  readonly bottomLevel: number;
}

/** The critical path: `length` in minutes and one longest chain of ticket ids, first to last. */
export interface CriticalPath {
  readonly length: number;
  readonly tickets: string[];
}

/**
 * Bottom levels (ticket estimate + longest path of estimates after it, minutes), indexed like the graph.
 * O(n + e). The core may compute them once per session and cache them (see `chooseNext`).
 */
export function bottomLevelArray(graph: TicketGraph): Float64Array {
  const n = graph.ids.length;
  const bl = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const v = graph.topo[k]!;
    let m = 0;
    for (const s of graph.succs[v]!) if (bl[s]! > m) m = bl[s]!;
    bl[v] = graph.estimate[v]! + m;
  }
  return bl;
}

/** Earliest starts (top levels, minutes), indexed like the graph. O(n + e). */
export function earliestStartArray(graph: TicketGraph): Float64Array {
  const es = new Float64Array(graph.ids.length);
  for (const v of graph.topo) {
    let m = 0;
    for (const p of graph.preds[v]!) {
      const f = es[p]! + graph.estimate[p]!;
      if (f > m) m = f;
    }
    es[v] = m;
  }
  return es;
}

/**
 * The critical path and every ticket's slack. The path starts at the source with the longest bottom level
 * and follows, at each step, the successor that continues the longest chain (first in plan order on ties).
 * O(n + e). An empty graph gives `{ length: 0, tickets: [] }`.
 */
export function criticalPath(graph: TicketGraph): { path: CriticalPath; timings: TicketTiming[] } {
  const n = graph.ids.length;
  const bl = bottomLevelArray(graph);
  const es = earliestStartArray(graph);
  let length = 0;
  for (let i = 0; i < n; i++) if (bl[i]! > length) length = bl[i]!;
  const timings: TicketTiming[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const latestStart = length - bl[i]!;
    timings[i] = {
      ticket: graph.ids[i]!,
      earliestStart: es[i]!,
      latestStart,
      slack: Math.max(0, latestStart - es[i]!),
      bottomLevel: bl[i]!,
    };
  }
  const tickets: string[] = [];
  let cur = -1;
  for (let i = 0; i < n; i++) {
    if (graph.preds[i]!.length === 0 && Math.abs(bl[i]! - length) <= EPS * Math.max(1, length)) {
      cur = i;
      break;
    }
  }
  while (cur !== -1) {
    tickets.push(graph.ids[cur]!);
    const want = bl[cur]! - graph.estimate[cur]!;
    let nxt = -1;
    for (const s of graph.succs[cur]!) {
      if (Math.abs(bl[s]! - want) <= EPS * Math.max(1, length) && (nxt === -1 || s < nxt)) nxt = s;
    }
    cur = nxt;
  }
  return { path: { length, tickets }, timings };
}
