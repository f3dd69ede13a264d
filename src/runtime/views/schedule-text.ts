import type { ScheduleResult } from '../scheduler/schedule.ts';
import { formatMinutes, round2 } from './format.ts';

/** Most tickets listed per group / agent line in {@link formatSchedule} before `+N more`. */
export const SCHEDULE_LIST_LIMIT = 12;

function list(ids: readonly string[], limit = SCHEDULE_LIST_LIMIT): string {
  return ids.length <= limit ? ids.join(', ') : `${ids.slice(0, limit).join(', ')}, +${ids.length - limit} more`;
}

/**
 * `schedule` as plain text: strategy and agents, makespan vs lower bound and the barrier baseline, the
 * critical path, groups, per-agent timelines (`TICKET start-end`, minutes) and the tickets with the least
 * slack off the critical path. Long lists are cut at {@link SCHEDULE_LIST_LIMIT}. Ends with a newline.
 */
export function formatSchedule(r: ScheduleResult): string {
  const lb = r.lowerBoundParts;
  const lines = [
    `strategy ${r.strategy}: ${r.agentsUsed} of ${r.agentsAvailable} agents (${r.strategyReason})`,
    `tickets: ${r.tickets}, total work ${formatMinutes(r.totalWork)}`,
    `makespan: ${formatMinutes(r.makespan)} (lower bound ${formatMinutes(r.lowerBound)}; parallelism x${round2(r.parallelismFactor)}; groups with barriers: ${formatMinutes(r.barrierMakespan)})`,
    `lower bound parts: critical path ${formatMinutes(lb.criticalPath)}, work/agents ${formatMinutes(lb.workPerAgent)}, longest ticket ${formatMinutes(lb.longestTicket)}, file load ${formatMinutes(lb.fileLoad)}, file pairs ${formatMinutes(lb.filePairs)}`,
    `critical path (${formatMinutes(r.criticalPath.length)}): ${r.criticalPath.tickets.length > SCHEDULE_LIST_LIMIT ? `${r.criticalPath.tickets.slice(0, SCHEDULE_LIST_LIMIT).join(' → ')} → … (${r.criticalPath.tickets.length} tickets)` : r.criticalPath.tickets.join(' → ')}`,
    'groups:',
    ...r.groups.map((g) => `  ${g.group}: ${list(g.tickets)} (work ${formatMinutes(g.work)}, longest ${formatMinutes(g.longest)})`),
    'agents:',
    ...r.agents.map((a) => {
      const items = a.tickets.map((t) => `${t.ticket} ${Math.round(t.start)}-${Math.round(t.end)}`);
      return `  ${a.agent}: ${items.length ? list(items) : 'idle'} (busy ${formatMinutes(a.busy)})`;
    }),
  ];
  const slack = r.timings.filter((t) => t.slack > 0).sort((a, b) => a.slack - b.slack || (a.ticket < b.ticket ? -1 : 1));
  if (slack.length) lines.push(`least slack: ${list(slack.map((t) => `${t.ticket} ${formatMinutes(t.slack)}`), 5)}`);
  return lines.join('\n') + '\n';
}
