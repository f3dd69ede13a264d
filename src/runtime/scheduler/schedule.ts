import { barrierSchedule } from './barrier.ts';
import { criticalPath, type CriticalPath, type TicketTiming } from './critical-path.ts';
import { buildGraph, type TicketGraph } from './graph.ts';
import { levelIndices } from './levels.ts';
import { lowerBoundOf, lowerBoundParts, totalWork, type LowerBoundParts } from './lower-bound.ts';
import { bestPriority } from './priority-rules.ts';
import { chooseAgents } from './strategy.ts';
import type { SchedulableTicket, ScheduleStrategy } from './types.ts';

/** One dependency group (topological level): its tickets, their total work and its longest ticket (minutes). */
export interface ScheduleGroup {
  /** 1-based group number, as the seeds number groups. */
  readonly group: number;
  readonly tickets: string[];
  readonly work: number;
  readonly longest: number;
}

/** One ticket on an agent's timeline, minutes from the session start. */
export interface ScheduledTicket {
  readonly ticket: string;
  readonly start: number;
  readonly end: number;
}

/** One agent's planned timeline; `busy` is the sum of its tickets' estimates (minutes). */
export interface AgentPlan {
  readonly agent: string;
  readonly tickets: ScheduledTicket[];
  readonly busy: number;
}

/**
 * What `orchestrate schedule --json` prints. Times are minutes from the start.
 * - `agentsAvailable`: the plan's (or `--agents`) count; `agentsUsed`: what the strategy kept.
 * - `groups`: dependency groups; `criticalPath`: longest chain; `timings`: per-ticket earliest / latest
 *   start, slack and bottom level, in plan order.
 * - `agents`: per-agent assignment from list scheduling on the longest remaining path.
 * - `makespan`: estimated duration; `lowerBound`: no schedule can be shorter (max of `lowerBoundParts`);
 *   `parallelismFactor`: total work / makespan; `barrierMakespan`: the seeds' group-by-group schedule
 *   with a barrier between groups, on the same agents, for comparison.
 */
export interface ScheduleResult {
  readonly strategy: ScheduleStrategy;
  readonly strategyReason: string;
  readonly agentsAvailable: number;
  readonly agentsUsed: number;
  readonly tickets: number;
  readonly totalWork: number;
  readonly groups: ScheduleGroup[];
  readonly criticalPath: CriticalPath;
  readonly timings: TicketTiming[];
  readonly agents: AgentPlan[];
  readonly makespan: number;
  readonly lowerBound: number;
  readonly lowerBoundParts: LowerBoundParts;
  readonly parallelismFactor: number;
  readonly barrierMakespan: number;
  /** The list-scheduling priority that gave the shortest schedule (see `priority-rules.ts`). */
  readonly priorityRule: string;
}

/** Options of {@link schedule}. */
export interface ScheduleOptions {
  /** Agents available, >= 1 (the plan's `agents` or `--agents N`). */
  readonly agents: number;
  /** Default `balanced`. */
  readonly strategy?: ScheduleStrategy;
  /** Agent names by 0-based number; default `agent-001`, `agent-002`, … */
  readonly agentName?: (index: number) => string;
}

/** The default agent name for 0-based agent `index`: `agent-001`, `agent-002`, … */
export function defaultAgentName(index: number): string {
  return `agent-${String(index + 1).padStart(3, '0')}`;
}

/**
 * Plans a session: dependency groups, critical path with slack, the strategy's agent count, and the
 * assignment of tickets to agents by list scheduling on the longest remaining path (then priority, then
 * id) with the files rule. When files are shared, a few file-aware variants of that priority are simulated
 * too and the shortest schedule is kept (`priorityRule`). Pure; deterministic. O((n + e) log n) per
 * simulation: up to 4, plus O(log agents) for `balanced`.
 * @throws ToolError `InvalidPlan` on duplicate ids, unknown dependencies, bad estimates or a cycle.
 */
export function schedule(tickets: readonly SchedulableTicket[], options: ScheduleOptions): ScheduleResult {
  const graph = buildGraph(tickets);
  return scheduleGraph(graph, options);
}

/** {@link schedule} on an already built graph. */
export function scheduleGraph(graph: TicketGraph, options: ScheduleOptions): ScheduleResult {
  const strategy = options.strategy ?? 'balanced';
  const available = Math.max(1, Math.floor(options.agents));
  const name = options.agentName ?? defaultAgentName;
  const { path, timings } = criticalPath(graph);
  const best = bestPriority(graph, available);
  const choice = chooseAgents(graph, strategy, available, best.pos, best.simulation);
  const parts = lowerBoundParts(graph, choice.agents, path.length);
  const work = totalWork(graph);
  const agents: AgentPlan[] = Array.from({ length: choice.agents }, (_, a) => ({ agent: name(a), tickets: [], busy: 0 }));
  for (const p of choice.simulation.placements) {
    const plan = agents[p.agent]!;
    plan.tickets.push({ ticket: graph.ids[p.ticket]!, start: p.start, end: p.end });
    (plan as { busy: number }).busy += p.end - p.start;
  }
  const groups = levelIndices(graph).map((g, k) => {
    let w = 0;
    let longest = 0;
    for (const i of g) {
      w += graph.estimate[i]!;
      if (graph.estimate[i]! > longest) longest = graph.estimate[i]!;
    }
    return { group: k + 1, tickets: g.map((i) => graph.ids[i]!), work: w, longest };
  });
  const makespan = choice.simulation.makespan;
  return {
    strategy,
    strategyReason: choice.reason,
    agentsAvailable: available,
    agentsUsed: choice.agents,
    tickets: graph.ids.length,
    totalWork: work,
    groups,
    criticalPath: path,
    timings,
    agents,
    makespan,
    lowerBound: lowerBoundOf(parts),
    lowerBoundParts: parts,
    parallelismFactor: makespan > 0 ? work / makespan : 1,
    barrierMakespan: barrierSchedule(graph, choice.agents, best.pos).makespan,
    priorityRule: best.rule.name,
  };
}
