import { parallelismOf } from './parallelism-limit.ts';
import { settingsOf } from './settings.ts';
import type { SessionState } from './state.ts';
import { progressOf as countProgress } from './views/derive.ts';

/**
 * Progress derived from recorded facts only (ticket statuses in the state file): no estimates, no guesses.
 * - counts per ticket status, `total`, and `percentage` = floor(100 × completed / total) (100 only when all
 *   tickets are completed).
 */
export interface Progress {
  total: number;
  completed: number;
  running: number;
  pending: number;
  failed: number;
  blocked: number;
  review: number;
  percentage: number;
}

/** Computes {@link Progress} for a session (the views' count, without the per-status breakdown). */
export function progressOf(state: SessionState): Progress {
  const { byStatus: _byStatus, ...progress } = countProgress(state);
  return progress;
}

/**
 * The JSON of `status --json`: session fields (with `parallelism`: how many tickets may run at once, and
 * `parallelism_source`: the rule it came from — see `parallelism-limit.ts`), `progress`, `tickets: [{id, title, status, agent, priority,
 * progress, attempts, lease_expires_at, dependencies, files}]`, the unresolved `blockers`, the run's `settings`
 * (validation, reviewer, dashboard, command, … — how `/execution:resume` continues as started) and `gates`.
 */
export function statusJson(state: SessionState): Record<string, unknown> {
  const limit = parallelismOf(state);
  return {
    id: state.id,
    title: state.title,
    status: state.status,
    status_reason: state.status_reason,
    revision: state.revision,
    agents: state.agents,
    strategy: state.strategy,
    parallelism: limit.limit,
    parallelism_source: limit.source,
    created_at: state.created_at,
    started_at: state.started_at,
    updated_at: state.updated_at,
    completed_at: state.completed_at,
    progress: progressOf(state),
    tickets: state.tickets.map((t) => ({
      id: t.id,
      title: t.title,
      status: t.status,
      agent: t.agent,
      priority: t.priority,
      progress: t.progress,
      attempts: t.attempts,
      lease_expires_at: t.lease_expires_at,
      dependencies: t.dependencies,
      files: t.files,
    })),
    blockers: state.blockers.filter((b) => b.resolved_at === null),
    settings: settingsOf(state),
    gates: state.gates ?? [],
  };
}
