import { ToolError } from '../../diagnostics/errors.ts';
import { findCycle, formatCycle } from '../../graph/cycles.ts';
import { priorityRank, type SchedulableTicket } from './types.ts';

/**
 * Tickets as index-based adjacency lists, built once and shared by every scheduler function.
 * - `ids[i]`, `estimate[i]` (minutes), `rank[i]` (priority rank), `preds[i]` / `succs[i]` (ticket indices),
 *   `files[i]` (file indices into `fileNames`).
 * - `topo`: a topological order (every ticket after all its dependencies), plan order among equals.
 */
export interface TicketGraph {
  readonly ids: string[];
  readonly index: Map<string, number>;
  readonly estimate: Float64Array;
  readonly rank: Uint8Array;
  readonly preds: number[][];
  readonly succs: number[][];
  readonly files: number[][];
  readonly fileNames: string[];
  readonly topo: Int32Array;
}

/**
 * Builds the {@link TicketGraph} in O(n + e + f) (tickets, dependency edges, file references).
 * Duplicate dependencies and files within one ticket are ignored.
 * @throws ToolError `InvalidPlan` on a duplicate id, an unknown dependency, a negative or non-finite
 *   estimate, or a dependency cycle (the message names the cycle: `A → B → C → A`).
 */
export function buildGraph(tickets: readonly SchedulableTicket[]): TicketGraph {
  const n = tickets.length;
  const ids: string[] = new Array(n);
  const index = new Map<string, number>();
  const estimate = new Float64Array(n);
  const rank = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = tickets[i]!;
    if (index.has(t.id)) throw new ToolError('InvalidPlan', `Duplicate ticket id \`${t.id}\``);
    if (!Number.isFinite(t.estimate) || t.estimate < 0) {
      throw new ToolError('InvalidPlan', `Ticket \`${t.id}\` has estimate \`${String(t.estimate)}\`, expected a number of minutes >= 0`);
    }
    index.set(t.id, i);
    ids[i] = t.id;
    estimate[i] = t.estimate;
    rank[i] = priorityRank(t.priority);
  }
  const preds: number[][] = new Array(n);
  const succs: number[][] = new Array(n);
  for (let i = 0; i < n; i++) succs[i] = [];
  const fileIndex = new Map<string, number>();
  const fileNames: string[] = [];
  const files: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = tickets[i]!;
    const p: number[] = [];
    for (const d of t.dependencies) {
      const j = index.get(d);
      if (j === undefined) throw new ToolError('InvalidPlan', `Ticket \`${t.id}\` depends on unknown ticket \`${d}\``);
      if (!p.includes(j)) {
        p.push(j);
        succs[j]!.push(i);
      }
    }
    preds[i] = p;
    const f: number[] = [];
    for (const name of t.files) {
      let k = fileIndex.get(name);
      if (k === undefined) {
        k = fileNames.length;
        fileIndex.set(name, k);
        fileNames.push(name);
      }
      if (!f.includes(k)) f.push(k);
    }
    files[i] = f;
  }
  const topo = topologicalOrder(preds, succs);
  if (topo === null) {
    const cycle = findCycle(tickets) ?? [];
    throw new ToolError('InvalidPlan', `Dependency cycle: ${formatCycle(cycle)}`);
  }
  return { ids, index, estimate, rank, preds, succs, files, fileNames, topo };
}

/** Kahn's algorithm in plan order; null when a cycle leaves tickets unordered. O(n + e). */
function topologicalOrder(preds: number[][], succs: number[][]): Int32Array | null {
  const n = preds.length;
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) indeg[i] = preds[i]!.length;
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order[tail++] = i;
  while (head < tail) {
    const v = order[head++]!;
    for (const s of succs[v]!) if (--indeg[s]! === 0) order[tail++] = s;
  }
  return tail === n ? order : null;
}
