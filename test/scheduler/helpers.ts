import type { SchedulableTicket } from '../../src/runtime/scheduler/types.ts';

/** A ticket literal with defaults: estimate 60 minutes, priority medium, no dependencies, no files. */
export function t(id: string, estimate = 60, dependencies: string[] = [], extra: Partial<SchedulableTicket> = {}): SchedulableTicket {
  return { id, estimate, priority: 'medium', dependencies, files: [], ...extra };
}
