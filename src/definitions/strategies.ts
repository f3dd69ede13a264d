/**
 * The scheduling strategies, in the order they are listed to users: every agent, a useful subset, or one.
 * Defined here, below both the plan schema (`plan.ts`) and the scheduler (`src/runtime/scheduler/strategy.ts`,
 * which says what each does), so the definitions layer never imports from the runtime.
 */
export const SCHEDULE_STRATEGIES = ['maximum', 'balanced', 'sequential'] as const;

/** How many agents a schedule uses: every agent, a useful subset, or one. */
export type ScheduleStrategy = (typeof SCHEDULE_STRATEGIES)[number];
