import type { SessionSettings, SessionState, TicketState } from './state.ts';

/**
 * Session settings (`settings:` in the state file, docs/contracts.md §6): given to `init` once, read by
 * `next`, `complete` and the views. Older state files have none: the defaults below apply.
 */

/** The settings of a session started without options. */
export const DEFAULT_SETTINGS: Readonly<SessionSettings> = {
  validation: 'standard',
  reviewer: 'code-reviewer',
  worker_agent: 'implementation-agent',
  max_attempts: 3,
  dashboard: false,
  pause_on_conflicts: false,
  command: null,
};

/** The session's settings with every missing key filled from {@link DEFAULT_SETTINGS}. */
export function settingsOf(state: SessionState): SessionSettings {
  return { ...DEFAULT_SETTINGS, ...(state.settings ?? {}) };
}

/** Most claims ticket `t` may get: its own `max_attempts`, else the session's setting (at least 1). */
export function maxAttemptsOf(state: SessionState, t: TicketState): number {
  return Math.max(1, t.max_attempts ?? settingsOf(state).max_attempts);
}

/** True when ticket `t` has been claimed as often as it may be. */
export function outOfAttempts(state: SessionState, t: TicketState): boolean {
  return t.attempts >= maxAttemptsOf(state, t);
}
