/**
 * The scheduler: pure functions over plan tickets (see each file). Entry points for the CLI:
 * `schedule` (the `schedule` verb), `chooseNext` + `computeBottomLevels` (`claim`), `estimateEta`
 * (status / dashboard), `findCycle` (plan validation).
 */
export { buildGraph, type TicketGraph } from './graph.ts';
export { findCycle, formatCycle, type DependencyNode } from '../../graph/cycles.ts';
export { topologicalLevels, levelIndices } from './levels.ts';
export { criticalPath, bottomLevelArray, earliestStartArray, type CriticalPath, type TicketTiming } from './critical-path.ts';
export { listSchedule, type Placement, type Simulation, type ListScheduleOptions } from './list-schedule.ts';
export { priorityPositions, compareTickets } from './priority-order.ts';
export { priorityRules, bestPriority, FILE_LOAD_WEIGHTS, type PriorityRule, type PriorityChoice } from './priority-rules.ts';
export { lowerBoundParts, lowerBoundOf, totalWork, type LowerBoundParts } from './lower-bound.ts';
export { barrierSchedule } from './barrier.ts';
export { chooseAgents, BALANCED_TOLERANCE, type StrategyChoice } from './strategy.ts';
export {
  schedule,
  scheduleGraph,
  defaultAgentName,
  type ScheduleResult,
  type ScheduleOptions,
  type ScheduleGroup,
  type ScheduledTicket,
  type AgentPlan,
} from './schedule.ts';
export { chooseNext, computeBottomLevels, claimPriorities, type ClaimStatus, type ChooseNextOptions, type NextChoice, type FileConflict } from './choose-next.ts';
export { estimateEta, type EtaInput, type Eta, type ObservedDuration, type RunningProgress } from './eta.ts';
export { priorityRank, type SchedulableTicket, type SchedulePriority, type ScheduleStrategy } from './types.ts';
export { toSchedulable, schedulableTickets, claimStatusOf, isRunning } from './from-state.ts';
