import type { TicketGraph } from './graph.ts';

/**
 * Topological levels ("dependency groups", as the seeds call them): level 0 holds the tickets without
 * dependencies; a ticket's level is one more than the highest level among its dependencies. Tickets of one
 * level never depend on each other. Returns the ticket indices of each level, in plan order. O(n + e).
 */
export function levelIndices(graph: TicketGraph): number[][] {
  const n = graph.ids.length;
  const level = new Int32Array(n);
  let max = -1;
  for (const v of graph.topo) {
    let l = 0;
    for (const p of graph.preds[v]!) if (level[p]! + 1 > l) l = level[p]! + 1;
    level[v] = l;
    if (l > max) max = l;
  }
  const groups: number[][] = Array.from({ length: max + 1 }, () => []);
  for (let i = 0; i < n; i++) groups[level[i]!]!.push(i);
  return groups;
}

/** {@link levelIndices} as ticket ids: `[['A', 'B'], ['C'], …]`, plan order within a level. */
export function topologicalLevels(graph: TicketGraph): string[][] {
  return levelIndices(graph).map((g) => g.map((i) => graph.ids[i]!));
}
