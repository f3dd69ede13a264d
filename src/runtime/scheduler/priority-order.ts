import type { TicketGraph } from './graph.ts';

/**
 * The list scheduler's total order: higher `key` first (by default the bottom level = longest remaining
 * path in minutes), then higher priority (critical before low), then ticket id (code-unit order) so the
 * result is deterministic. Returns `pos`, where `pos[i] < pos[j]` means ticket i goes before ticket j.
 * O(n log n).
 */
export function priorityPositions(graph: TicketGraph, key: Float64Array): Int32Array {
  const n = graph.ids.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => compareTickets(graph, key, a, b));
  const pos = new Int32Array(n);
  for (let k = 0; k < n; k++) pos[order[k]!] = k;
  return pos;
}

/**
 * Compares tickets `a` and `b` (graph indices) in scheduling order: negative when `a` goes first.
 * Higher `key[a]` first, then lower priority rank, then id.
 */
export function compareTickets(graph: TicketGraph, key: Float64Array, a: number, b: number): number {
  const d = key[b]! - key[a]!;
  if (d !== 0) return d;
  const r = graph.rank[a]! - graph.rank[b]!;
  if (r !== 0) return r;
  const ia = graph.ids[a]!;
  const ib = graph.ids[b]!;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
