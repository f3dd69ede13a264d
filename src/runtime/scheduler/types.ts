/**
 * The scheduler's input: the few ticket fields it reads. `Ticket` from `src/definitions/plan.ts` satisfies it
 * structurally, so the core can pass validated plan tickets as they are.
 */

/** Ticket priority, most urgent first; anything else ranks after `low`. */
export type SchedulePriority = 'critical' | 'high' | 'medium' | 'low';

/**
 * One schedulable ticket.
 * - `id`: unique within the plan.
 * - `estimate`: expected duration in minutes (>= 0).
 * - `priority`: `critical` | `high` | `medium` | `low` (tie-breaker after the longest remaining path).
 * - `dependencies`: ids that must be completed before this ticket may start.
 * - `files`: paths the ticket touches; two tickets sharing a path never run at the same time.
 */
export interface SchedulableTicket {
  readonly id: string;
  readonly estimate: number;
  readonly priority: SchedulePriority | string;
  readonly dependencies: readonly string[];
  readonly files: readonly string[];
}

/** Priority rank: critical 0, high 1, medium 2, low 3, anything else 4 (lower runs first). */
export function priorityRank(priority: string): number {
  switch (priority) {
    case 'critical':
      return 0;
    case 'high':
      return 1;
    case 'medium':
      return 2;
    case 'low':
      return 3;
    default:
      return 4;
  }
}

export { SCHEDULE_STRATEGIES, type ScheduleStrategy } from '../../definitions/strategies.ts';

/** Floating-point tolerance for comparing times in minutes. */
export const EPS = 1e-9;
