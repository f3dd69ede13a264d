import { describe, expect, it } from 'vitest';
import { schedule, type ScheduleResult } from '../../src/runtime/scheduler/schedule.ts';
import { buildGraph } from '../../src/runtime/scheduler/graph.ts';
import { listSchedule } from '../../src/runtime/scheduler/list-schedule.ts';
import { priorityPositions } from '../../src/runtime/scheduler/priority-order.ts';
import { bottomLevelArray } from '../../src/runtime/scheduler/critical-path.ts';
import { t } from './helpers.ts';

/** Every pair of tickets on the timeline that overlap in time and share a file. */
function fileOverlaps(result: ScheduleResult, files: Record<string, string[]>): string[] {
  const all = result.agents.flatMap((a) => a.tickets);
  const out: string[] = [];
  for (const x of all) for (const y of all) {
    if (x.ticket < y.ticket && x.start < y.end && y.start < x.end && (files[x.ticket] ?? []).some((f) => (files[y.ticket] ?? []).includes(f))) out.push(`${x.ticket}/${y.ticket}`);
  }
  return out;
}

/** Checks that no ticket starts before all its dependencies end and no agent runs two tickets at once. */
function checkFeasible(result: ScheduleResult, deps: Record<string, string[]>): void {
  const end = new Map<string, number>();
  const start = new Map<string, number>();
  for (const a of result.agents) {
    let last = 0;
    for (const x of a.tickets) {
      expect(x.start).toBeGreaterThanOrEqual(last);
      last = x.end;
      end.set(x.ticket, x.end);
      start.set(x.ticket, x.start);
    }
  }
  for (const [id, ds] of Object.entries(deps)) for (const d of ds) expect(start.get(id)!).toBeGreaterThanOrEqual(end.get(d)!);
}

describe('list scheduling', () => {
  it('diamond on 2 agents reaches the critical path (optimal, = lower bound)', () => {
    const r = schedule([t('A', 30), t('B', 60, ['A']), t('C', 20, ['A']), t('D', 10, ['B', 'C'])], { agents: 2, strategy: 'maximum' });
    expect(r.makespan).toBe(100);
    expect(r.lowerBound).toBe(100);
    expect(r.groups.map((g) => g.tickets)).toEqual([['A'], ['B', 'C'], ['D']]);
    expect(r.agents).toEqual([
      { agent: 'agent-001', busy: 100, tickets: [{ ticket: 'A', start: 0, end: 30 }, { ticket: 'B', start: 30, end: 90 }, { ticket: 'D', start: 90, end: 100 }] },
      { agent: 'agent-002', busy: 20, tickets: [{ ticket: 'C', start: 30, end: 50 }] },
    ]);
    expect(r.parallelismFactor).toBeCloseTo(1.2);
  });

  it('six independent tickets on 3 agents: 70 minutes, the hand-computed optimum', () => {
    // 50+40+30+30+20+20 = 190; a bin holding 50 cannot take any other ticket without passing 64 (= ceil(190/3)),
    // and 40,30,30,20,20 do not fit two bins of <= 64, so 70 is optimal. Longest-first reaches it.
    const r = schedule([t('a', 50), t('b', 40), t('c', 30), t('d', 30), t('e', 20), t('f', 20)], { agents: 3, strategy: 'maximum' });
    expect(r.makespan).toBe(70);
    expect(r.lowerBound).toBeCloseTo(190 / 3);
  });

  it('runs the ticket with the longest remaining path first, before a higher priority', () => {
    const tickets = [t('X', 10, [], { priority: 'critical' }), t('Y', 10, [], { priority: 'low' }), t('Z', 100, ['Y'])];
    const r = schedule(tickets, { agents: 1, strategy: 'maximum' });
    expect(r.agents[0]!.tickets.map((x) => x.ticket)).toEqual(['Y', 'Z', 'X']);
    // Equal remaining paths: priority decides, then id.
    const r2 = schedule([t('b', 10, [], { priority: 'low' }), t('c', 10, [], { priority: 'high' }), t('a', 10, [], { priority: 'low' })], { agents: 1, strategy: 'maximum' });
    expect(r2.agents[0]!.tickets.map((x) => x.ticket)).toEqual(['c', 'a', 'b']);
  });

  it('files rule: two tickets sharing a file never overlap, even with idle agents', () => {
    const files = { P: ['src/shared.ts', 'src/p.ts'], Q: ['src/shared.ts'], R: ['src/r.ts'] };
    const tickets = [t('P', 30, [], { files: files.P }), t('Q', 30, [], { files: files.Q }), t('R', 30, [], { files: files.R })];
    const r = schedule(tickets, { agents: 3, strategy: 'maximum' });
    expect(fileOverlaps(r, files)).toEqual([]);
    expect(r.makespan).toBe(60); // without the rule all three would run at 0 and end at 30
    expect(r.lowerBoundParts.fileLoad).toBe(60);
    expect(r.lowerBound).toBe(60);
    // The same tickets without files overlap: proves the test would catch a broken rule.
    const free = schedule(tickets.map((x) => ({ ...x, files: [] })), { agents: 3, strategy: 'maximum' });
    expect(free.makespan).toBe(30);
  });

  it('a file-blocked ticket lets a lower one start instead of idling', () => {
    const files = { A: ['f'], B: ['f'], C: ['g'] };
    const tickets = [t('A', 50, [], { files: files.A }), t('B', 40, [], { files: files.B }), t('C', 10, [], { files: files.C })];
    const r = schedule(tickets, { agents: 2, strategy: 'maximum' });
    const at = Object.fromEntries(r.agents.flatMap((a) => a.tickets).map((x) => [x.ticket, x.start]));
    expect(at).toEqual({ A: 0, C: 0, B: 50 });
    expect(fileOverlaps(r, files)).toEqual([]);
  });

  it('produces feasible schedules on a random DAG with shared files', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const tickets = Array.from({ length: 300 }, (_, i) =>
      t(`T${i}`, 5 + Math.floor(rand() * 100), i > 0 && rand() < 0.7 ? [`T${Math.floor(rand() * i)}`] : [], { files: rand() < 0.4 ? [`f${Math.floor(rand() * 10)}`] : [] }),
    );
    const r = schedule(tickets, { agents: 6, strategy: 'maximum' });
    checkFeasible(r, Object.fromEntries(tickets.map((x) => [x.id, [...x.dependencies]])));
    expect(fileOverlaps(r, Object.fromEntries(tickets.map((x) => [x.id, [...x.files]])))).toEqual([]);
    expect(r.agents.flatMap((a) => a.tickets)).toHaveLength(300);
    expect(r.makespan).toBeGreaterThanOrEqual(r.lowerBound);
  });

  it('zero-minute tickets and an empty dependency graph still schedule', () => {
    const r = schedule([t('A', 0), t('B', 0, ['A']), t('C', 15, ['B'])], { agents: 2, strategy: 'maximum' });
    expect(r.makespan).toBe(15);
    expect(r.criticalPath.tickets).toEqual(['A', 'B', 'C']);
  });

  it('listSchedule on a subset ignores tickets outside it', () => {
    const g = buildGraph([t('A', 10), t('B', 20, ['A']), t('C', 30)]);
    const sim = listSchedule(g, 2, priorityPositions(g, bottomLevelArray(g)), { subset: [1, 2] });
    expect(sim.makespan).toBe(30);
    expect(sim.placements.map((p) => g.ids[p.ticket])).toEqual(['C', 'B']);
  });
});

describe('strategies and baselines', () => {
  const wide = [t('root', 10), ...Array.from({ length: 8 }, (_, i) => t(`w${i}`, 60, ['root']))];

  it('sequential uses one agent; makespan = total work', () => {
    const r = schedule(wide, { agents: 8, strategy: 'sequential' });
    expect(r.agentsUsed).toBe(1);
    expect(r.makespan).toBe(490);
    expect(r.parallelismFactor).toBe(1);
  });

  it('balanced keeps every agent a wide DAG can use, and drops those a chain cannot', () => {
    expect(schedule(wide, { agents: 8, strategy: 'balanced' }).agentsUsed).toBe(8);
    const chain = Array.from({ length: 5 }, (_, i) => t(`c${i}`, 30, i === 0 ? [] : [`c${i - 1}`]));
    const r = schedule(chain, { agents: 8, strategy: 'balanced' });
    expect(r.agentsUsed).toBe(1);
    expect(r.makespan).toBe(150);
    expect(r.strategyReason).toBe('the other 7 would save only 0% of the time');
    // 2 long + 6 short: 2 agents give 120 vs 60 with 8 → needs more; 4 agents: 60+? work 2*60+6*10=180.
    const mixed = [t('L1', 60), t('L2', 60), ...Array.from({ length: 6 }, (_, i) => t(`s${i}`, 10))];
    const m = schedule(mixed, { agents: 8, strategy: 'balanced' });
    expect(m.agentsUsed).toBe(3); // 3 agents: L1, L2, and six 10-minute tickets on the third = 60 minutes
    expect(m.makespan).toBe(60);
  });

  it('maximum uses all agents', () => {
    expect(schedule(wide, { agents: 8, strategy: 'maximum' }).agentsUsed).toBe(8);
  });

  it('barrier scheduling (the seeds) waits for the whole group; list scheduling does not', () => {
    const r = schedule([t('A', 10), t('B', 100), t('C', 100, ['A'])], { agents: 2, strategy: 'maximum' });
    expect(r.makespan).toBe(110);
    expect(r.barrierMakespan).toBe(200);
  });
});
