import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/runtime/scheduler/schedule.ts';
import { formatSchedule } from '../../src/runtime/views/schedule-text.ts';

describe('schedule text', () => {
  it('prints strategy, bounds, critical path, groups and timelines', () => {
    const t = (id: string, estimate: number, dependencies: string[] = [], files: string[] = []) => ({ id, estimate, priority: 'medium', dependencies, files });
    const r = schedule([t('A', 30), t('B', 60, ['A']), t('C', 20, ['A'], ['x.ts']), t('D', 10, ['B', 'C']), t('E', 45, [], ['x.ts'])], { agents: 3, strategy: 'balanced' });
    expect(formatSchedule(r)).toMatchInlineSnapshot(`
      "strategy balanced: 2 of 3 agents (the other 1 would save only 0% of the time)
      tickets: 5, total work 2h 45m
      makespan: 1h 40m (lower bound 1h 40m; parallelism x1.65; groups with barriers: 1h 55m)
      lower bound parts: critical path 1h 40m, work/agents 1h 23m, longest ticket 1h, file load 1h 5m, file pairs 1h 15m
      critical path (1h 40m): A → B → D
      groups:
        1: A, E (work 1h 15m, longest 45m)
        2: B, C (work 1h 20m, longest 1h)
        3: D (work 10m, longest 10m)
      agents:
        agent-001: A 0-30, B 30-90, D 90-100 (busy 1h 40m)
        agent-002: E 0-45, C 45-65 (busy 1h 5m)
      least slack: C 40m, E 55m
      "
    `);
  });
});
