import { describe, expect, it } from 'vitest';
import { buildGraph, type TicketGraph } from '../../src/runtime/scheduler/graph.ts';
import { listSchedule } from '../../src/runtime/scheduler/list-schedule.ts';
import { priorityPositions } from '../../src/runtime/scheduler/priority-order.ts';
import { bottomLevelArray } from '../../src/runtime/scheduler/critical-path.ts';
import { t } from './helpers.ts';

/**
 * The textbook definition, written naively: at every event time, scan all ready tickets in priority order
 * and start each one whose files are free while an agent is idle (lowest agent number first).
 */
function reference(g: TicketGraph, agents: number, pos: Int32Array): string[] {
  const n = g.ids.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pos[a]! - pos[b]!);
  const end = new Array<number>(n).fill(Infinity);
  const started = new Array<boolean>(n).fill(false);
  const agentFree = new Array<number>(agents).fill(0);
  const out: string[] = [];
  let time = 0;
  for (let count = 0; count < n; ) {
    for (const v of order) {
      if (started[v]) continue;
      if (!g.preds[v]!.every((p) => end[p]! <= time)) continue;
      const a = agentFree.findIndex((f) => f <= time);
      if (a === -1) break;
      const busy = g.files[v]!.some((f) => order.some((u) => started[u] && end[u]! > time && g.files[u]!.includes(f)));
      if (busy) continue;
      started[v] = true;
      end[v] = time + g.estimate[v]!;
      agentFree[a] = end[v]!;
      out.push(`${g.ids[v]}@${time}/${a}`);
      count++;
    }
    const next = Math.min(...end.filter((e, i) => started[i] && e > time));
    if (!Number.isFinite(next)) break;
    time = next;
  }
  return out;
}

describe('listSchedule matches the naive definition', () => {
  it('on 60 random plans with heavy file sharing', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 60; k++) {
      const n = 5 + Math.floor(rand() * 40);
      const files = 1 + Math.floor(rand() * 5);
      const tickets = Array.from({ length: n }, (_, i) => {
        const deps = i > 0 && rand() < 0.5 ? [`T${Math.floor(rand() * i)}`] : [];
        const fs = new Set<string>();
        while (rand() < 0.55) fs.add(`f${Math.floor(rand() * files)}`);
        return t(`T${i}`, 1 + Math.floor(rand() * 9), deps, { files: [...fs] });
      });
      const g = buildGraph(tickets);
      const agents = 1 + Math.floor(rand() * 4);
      const pos = priorityPositions(g, bottomLevelArray(g));
      const fast = listSchedule(g, agents, pos).placements.map((p) => `${g.ids[p.ticket]}@${p.start}/${p.agent}`);
      expect(fast).toEqual(reference(g, agents, pos));
    }
  });
});
