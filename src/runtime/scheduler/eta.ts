import { buildGraph } from './graph.ts';
import type { SchedulableTicket } from './types.ts';

/** A completed ticket's planned and observed duration (minutes), for the pace. */
export interface ObservedDuration {
  readonly estimate: number;
  readonly actual: number;
}

/** A running ticket's elapsed time since its claim (minutes) and its last reported progress (0–100). */
export interface RunningProgress {
  readonly elapsed: number;
  readonly progress?: number;
}

/**
 * Input of {@link estimateEta}.
 * - `completed`: ids done; `running`: ids in progress with elapsed minutes and progress;
 *   `unavailable`: failed/blocked ids, left out of the remaining work (their dependants are still counted,
 *   as if the dependency will be retried or unblocked).
 * - `observed`: completed tickets' estimate vs actual duration; `agents`: agents working (>= 1).
 */
export interface EtaInput {
  readonly tickets: readonly SchedulableTicket[];
  readonly completed: ReadonlySet<string>;
  readonly running: ReadonlyMap<string, RunningProgress>;
  readonly unavailable?: ReadonlySet<string>;
  readonly observed: readonly ObservedDuration[];
  readonly agents: number;
}

/**
 * The ETA and what it rests on (all durations in minutes):
 * - `pace`: observed actual / estimated minutes, shrunk towards 1 by one average ticket's worth of
 *   estimate: (Σ actual + m) / (Σ estimated + m), m = mean estimate of the plan. One early ticket that took
 *   1 minute for 60 therefore gives ≈ 0.5, not 0.02; as tickets complete the observed ratio dominates.
 *   1 until a ticket completes; clamped to 0.25–4;
 * - `remainingWork`: the pace-adjusted work left (running tickets count their unfinished part);
 * - `remainingCriticalPath`: the longest pace-adjusted chain still to run;
 * - `minutes`: max(remaining critical path, remaining work / agents) — the finish can be no earlier, and
 *   list scheduling lands within a few percent of this bound (see `bench/schedule-quality.ts`);
 * - `percentByWork`: estimated work completed / total estimated work, 0–100;
 * - `basis`: `estimates` before any ticket completed, else `observed pace`.
 */
export interface Eta {
  readonly minutes: number;
  readonly pace: number;
  readonly remainingWork: number;
  readonly remainingCriticalPath: number;
  readonly percentByWork: number;
  readonly basis: 'estimates' | 'observed pace';
}

/**
 * Estimates the time to finish a session from remaining estimates, the progress so far and the observed
 * pace. O(n + e). Pure: the caller supplies elapsed times, so no clock is read.
 * @throws ToolError `InvalidPlan` on a malformed ticket graph (see `buildGraph`).
 */
export function estimateEta(input: EtaInput): Eta {
  const graph = buildGraph(input.tickets);
  let est = 0;
  let act = 0;
  for (const o of input.observed) {
    if (o.estimate > 0 && o.actual >= 0) {
      est += o.estimate;
      act += o.actual;
    }
  }
  let planWork = 0;
  for (const e of graph.estimate) planWork += e;
  const prior = graph.ids.length > 0 ? planWork / graph.ids.length : 0;
  const pace = est > 0 ? Math.min(4, Math.max(0.25, (act + prior) / (est + prior))) : 1;
  const unavailable = input.unavailable ?? new Set<string>();
  const n = graph.ids.length;
  const dur = new Float64Array(n);
  let totalWork = 0;
  let doneWork = 0;
  let remainingWork = 0;
  for (let i = 0; i < n; i++) {
    const id = graph.ids[i]!;
    const e = graph.estimate[i]!;
    totalWork += e;
    if (input.completed.has(id)) {
      doneWork += e;
      continue;
    }
    if (unavailable.has(id)) continue;
    const r = input.running.get(id);
    let d = e * pace;
    if (r) {
      d = r.progress !== undefined ? d * (1 - Math.min(100, Math.max(0, r.progress)) / 100) : Math.max(0, d - r.elapsed);
    }
    dur[i] = d;
    remainingWork += d;
  }
  // Longest remaining chain: bottom levels over remaining durations (completed tickets have duration 0).
  const bl = new Float64Array(n);
  let cp = 0;
  for (let k = n - 1; k >= 0; k--) {
    const v = graph.topo[k]!;
    let m = 0;
    for (const s of graph.succs[v]!) if (bl[s]! > m) m = bl[s]!;
    bl[v] = dur[v]! + m;
    if (bl[v]! > cp) cp = bl[v]!;
  }
  const agents = Math.max(1, Math.floor(input.agents));
  return {
    minutes: Math.max(cp, remainingWork / agents),
    pace,
    remainingWork,
    remainingCriticalPath: cp,
    percentByWork: totalWork > 0 ? (doneWork / totalWork) * 100 : 100,
    basis: est > 0 ? 'observed pace' : 'estimates',
  };
}
