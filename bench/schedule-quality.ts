/**
 * Schedule quality benchmark (prints figures, asserts nothing): `npx tsx bench/schedule-quality.ts`.
 *
 * 100 seeded random plans (50–500 tickets, 2–16 agents, estimates 15–240 minutes, some shared files).
 * For each: the list scheduler's makespan (strategy `maximum`) against its lower bound, and the gain over the
 * seeds' way (dependency groups one after another, a barrier between groups). Then the time per schedule
 * for 500 and 10,000 tickets, and per `chooseNext` call at 10,000 tickets.
 */
import { performance } from 'node:perf_hooks';
import { buildGraph } from '../src/runtime/scheduler/graph.ts';
import { lowerBoundOf } from '../src/runtime/scheduler/lower-bound.ts';
import { scheduleGraph } from '../src/runtime/scheduler/schedule.ts';
import { chooseNext, computeBottomLevels } from '../src/runtime/scheduler/choose-next.ts';
import type { SchedulableTicket } from '../src/runtime/scheduler/types.ts';
import { rng } from './rng.ts';


const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;

/** How a family of random plans shares files: the pool of shared files and the chance a ticket touches one. */
interface FileMix {
  readonly label: string;
  readonly poolDivisor: number;
  readonly share: number;
}

const MIXED: FileMix = { label: 'mixed (30% of tickets touch one of n/8 shared files)', poolDivisor: 8, share: 0.3 };
const FILE_HEAVY: FileMix = { label: 'file-heavy (60% of tickets touch one of n/40 shared files)', poolDivisor: 40, share: 0.6 };

/**
 * A random plan: each ticket depends on 0–3 earlier tickets from a sliding window (n/6), has its own file,
 * and with probability `mix.share` one shared file (5 % a second one); estimates 15–240 minutes, skewed short.
 */
function randomPlan(seed: number, n: number, mix: FileMix = MIXED): SchedulableTicket[] {
  const r = rng(seed);
  const files = Math.max(3, Math.floor(n / mix.poolDivisor));
  const window = Math.max(5, Math.floor(n / 6));
  const tickets: SchedulableTicket[] = [];
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    const k = i === 0 ? 0 : Math.floor(r() * 4);
    for (let j = 0; j < k; j++) deps.add(`T${Math.max(0, i - 1 - Math.floor(r() * window))}`);
    deps.delete(`T${i}`);
    const fs = new Set<string>([`own/${i}.ts`]);
    if (r() < mix.share) fs.add(`shared/${Math.floor(r() * files)}.ts`);
    if (r() < 0.05) fs.add(`shared/${Math.floor(r() * files)}.ts`);
    tickets.push({
      id: `T${i}`,
      estimate: 15 + Math.round(r() * r() * 225),
      priority: PRIORITIES[Math.floor(r() * 4)]!,
      dependencies: [...deps],
      files: [...fs],
    });
  }
  return tickets;
}

const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
const fmt = (x: number): string => x.toFixed(3);

/** Runs the 100 seeded plans of one family and prints the quality figures. */
function family(mix: FileMix): void {
  const ratios: number[] = [];
  const classicRatios: number[] = [];
  const gains: number[] = [];
  const keptAgents: number[] = [];
  const balancedCost: number[] = [];
  let worst = { ratio: 0, seed: 0, n: 0, agents: 0, parts: '', noFiles: 0, classic: 0, makespan: 0 };
  let fileBound = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const r = rng(seed * 7919);
    const n = 50 + Math.floor(r() * 451);
    const agents = 2 + Math.floor(r() * 15);
    const plan = randomPlan(seed, n, mix);
    const s = scheduleGraph(buildGraph(plan), { agents, strategy: 'maximum' });
    const ratio = s.makespan / s.lowerBound;
    ratios.push(ratio);
    classicRatios.push(s.makespan / lowerBoundOf(s.lowerBoundParts, true));
    if (lowerBoundOf(s.lowerBoundParts) > lowerBoundOf(s.lowerBoundParts, true)) fileBound++;
    gains.push(s.barrierMakespan / s.makespan);
    const b = scheduleGraph(buildGraph(plan), { agents, strategy: 'balanced' });
    keptAgents.push(b.agentsUsed / agents);
    balancedCost.push(b.makespan / s.makespan);
    if (ratio > worst.ratio) {
      const p = s.lowerBoundParts;
      const noFiles = scheduleGraph(buildGraph(plan.map((t) => ({ ...t, files: [] }))), { agents, strategy: 'maximum' }).makespan;
      worst = {
        ratio, seed, n, agents, noFiles, makespan: s.makespan, classic: lowerBoundOf(p, true),
        parts: `cp ${p.criticalPath}, work/agents ${p.workPerAgent.toFixed(0)}, longest ${p.longestTicket}, file load ${p.fileLoad}, file pairs ${p.filePairs}`,
      };
    }
  }
  console.log(`plans: ${mix.label}`);
  console.log(`  makespan / lower bound       mean ${fmt(mean(ratios))}  worst ${fmt(worst.ratio)}`);
  console.log(`  makespan / classic bound     mean ${fmt(mean(classicRatios))}  worst ${fmt(Math.max(...classicRatios))}  (classic = max(critical path, work/agents, longest); file bounds are higher in ${fileBound}/100 plans)`);
  console.log(`  gain over barrier groups     mean ${fmt(mean(gains))}x  min ${fmt(Math.min(...gains))}x  max ${fmt(Math.max(...gains))}x  (barrier makespan / list makespan)`);
  console.log(`  balanced strategy            keeps ${(mean(keptAgents) * 100).toFixed(1)}% of the agents on average, makespan x${fmt(mean(balancedCost))} of maximum's (worst x${fmt(Math.max(...balancedCost))})`);
  console.log(`  worst plan: seed ${worst.seed}, ${worst.n} tickets, ${worst.agents} agents; ${worst.parts}`);
  console.log(`    makespan ${worst.makespan}; the same plan without files: ${worst.noFiles} (classic bound ${worst.classic}) — the gap comes from the files rule`);
}

console.log('schedule quality: 100 seeded random plans per family, 50-500 tickets, 2-16 agents, strategy maximum');
family(MIXED);
family(FILE_HEAVY);

function timeIt(label: string, n: number, agents: number, reps: number): void {
  const tickets = randomPlan(424242 + n, n);
  scheduleGraph(buildGraph(tickets), { agents, strategy: 'maximum' }); // warm-up
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) scheduleGraph(buildGraph(tickets), { agents, strategy: 'maximum' });
  const sched = (performance.now() - t0) / reps;
  t0 = performance.now();
  for (let i = 0; i < reps; i++) scheduleGraph(buildGraph(tickets), { agents, strategy: 'balanced' });
  const bal = (performance.now() - t0) / reps;
  // chooseNext on a half-done session: the first half completed, 8 running.
  const completed = new Set(tickets.slice(0, n >> 1).map((t) => t.id));
  const running = new Set(tickets.slice(n >> 1, (n >> 1) + 8).map((t) => t.id));
  chooseNext(tickets, { completed, running });
  t0 = performance.now();
  for (let i = 0; i < reps * 5; i++) chooseNext(tickets, { completed, running });
  const claim = (performance.now() - t0) / (reps * 5);
  const bottomLevels = computeBottomLevels(tickets);
  t0 = performance.now();
  for (let i = 0; i < reps * 5; i++) chooseNext(tickets, { completed, running }, { bottomLevels });
  const cached = (performance.now() - t0) / (reps * 5);
  console.log(`  ${label}: schedule maximum ${sched.toFixed(1)} ms, balanced ${bal.toFixed(1)} ms; chooseNext ${claim.toFixed(2)} ms, with cached bottom levels ${cached.toFixed(2)} ms`);
}
console.log('time per call (mean):');
timeIt('  500 tickets,  8 agents', 500, 8, 20);
timeIt('10000 tickets, 16 agents', 10_000, 16, 5);
