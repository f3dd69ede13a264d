import type { TicketGraph } from './graph.ts';
import { IndexHeap } from './heap.ts';
import { EPS } from './types.ts';

/** One ticket placed on one agent: graph index, 0-based agent number, start and end in minutes from 0. */
export interface Placement {
  readonly ticket: number;
  readonly agent: number;
  readonly start: number;
  readonly end: number;
}

/** A simulated schedule: placements in start order, and the makespan (last end, minutes). */
export interface Simulation {
  readonly placements: Placement[];
  readonly makespan: number;
}

/** Options of {@link listSchedule}. */
export interface ListScheduleOptions {
  /** Schedule only these graph indices (default: all). Dependencies outside the subset count as done. */
  readonly subset?: readonly number[];
  /** Start every ticket of the subset as ready (used by barrier scheduling within one level). */
  readonly ignoreDependencies?: boolean;
}

/**
 * Non-delay list scheduling with the files rule, simulated in minutes. Whenever an agent is idle it takes
 * the first ready ticket in `pos` order (see `priorityPositions`) whose files no running ticket touches; a
 * ticket blocked by a file waits while lower ones may start. Agents are numbered 0..agents-1 and an idle
 * agent with the lowest number is used first. Estimates are taken as exact durations.
 * A ticket held back by a busy file waits on that file until it is released. Time O((n + e + w) log n),
 * w = times a ticket is held back (at most the releases of the files it waits on).
 * @param agents number of agents, >= 1.
 */
export function listSchedule(graph: TicketGraph, agents: number, pos: Int32Array, options: ListScheduleOptions = {}): Simulation {
  const n = graph.ids.length;
  const m = Math.max(1, Math.floor(agents));
  const member = new Uint8Array(n);
  const subset = options.subset ?? null;
  let total = 0;
  if (subset === null) {
    member.fill(1);
    total = n;
  } else {
    for (const v of subset) if (member[v] === 0) {
      member[v] = 1;
      total++;
    }
  }
  const remaining = new Int32Array(n);
  const ready = new IndexHeap(pos);
  for (let v = 0; v < n; v++) {
    if (member[v] === 0) continue;
    let c = 0;
    if (!options.ignoreDependencies) for (const p of graph.preds[v]!) if (member[p] === 1) c++;
    remaining[v] = c;
    if (c === 0) ready.push(v);
  }
  const endAt = new Float64Array(n);
  const agentOf = new Int32Array(n);
  const running = new IndexHeap(endAt, pos);
  const idle = new IndexHeap(identity(m));
  for (let a = 0; a < m; a++) idle.push(a);
  const fileBusy = new Uint8Array(graph.fileNames.length);
  const placements: Placement[] = [];
  let t = 0;
  let done = 0;
  let makespan = 0;
  // Tickets held back by a busy file wait in that file's queue (in priority order). When the file is
  // released only the first waiter returns to the ready queue; if that one then waits on another file, the
  // next waiter of the freed file is released, and so on. A dispatch round therefore never re-examines
  // tickets that cannot start, and the result equals a full scan of the ready tickets in priority order.
  const parked = new Map<number, IndexHeap>();
  const cameFrom = new Int32Array(n).fill(-1);
  const park = (f: number, v: number): void => {
    let q = parked.get(f);
    if (!q) parked.set(f, (q = new IndexHeap(pos)));
    q.push(v);
  };
  const unparkOne = (f: number): void => {
    const q = parked.get(f);
    if (!q || q.size === 0) return;
    const w = q.pop()!;
    cameFrom[w] = f;
    ready.push(w);
  };
  while (done < total) {
    while (idle.size > 0 && ready.size > 0) {
      const v = ready.pop()!;
      const fs = graph.files[v]!;
      let busy = -1;
      for (const f of fs) if (fileBusy[f] === 1) {
        busy = f;
        break;
      }
      const from = cameFrom[v]!;
      cameFrom[v] = -1;
      if (busy !== -1) {
        park(busy, v);
        // v was released by file `from`, which is still free: let its next waiter try.
        if (from !== -1 && from !== busy && fileBusy[from] === 0) unparkOne(from);
        continue;
      }
      for (const f of fs) fileBusy[f] = 1;
      const a = idle.pop()!;
      agentOf[v] = a;
      endAt[v] = t + graph.estimate[v]!;
      running.push(v);
      placements.push({ ticket: v, agent: a, start: t, end: endAt[v]! });
    }
    if (running.size === 0) break; // cannot happen: with nothing running no file is busy
    t = endAt[running.peek()!]!;
    while (running.size > 0 && endAt[running.peek()!]! <= t + EPS) {
      const v = running.pop()!;
      done++;
      if (endAt[v]! > makespan) makespan = endAt[v]!;
      idle.push(agentOf[v]!);
      for (const f of graph.files[v]!) {
        fileBusy[f] = 0;
        unparkOne(f);
      }
      if (!options.ignoreDependencies) {
        for (const s of graph.succs[v]!) if (member[s] === 1 && --remaining[s]! === 0) ready.push(s);
      }
    }
  }
  return { placements, makespan };
}

/** [0, 1, …, m-1]: agents are taken lowest number first. */
function identity(m: number): Int32Array {
  const a = new Int32Array(m);
  for (let i = 0; i < m; i++) a[i] = i;
  return a;
}
