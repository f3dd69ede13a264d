import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/runtime/scheduler/graph.ts';
import { findCycle, formatCycle } from '../../src/graph/cycles.ts';
import { topologicalLevels } from '../../src/runtime/scheduler/levels.ts';
import { criticalPath } from '../../src/runtime/scheduler/critical-path.ts';
import { ToolError } from '../../src/diagnostics/errors.ts';
import { t } from './helpers.ts';

// Diamond: A(30) → B(60), A → C(20); B, C → D(10). Critical path A-B-D = 100 minutes.
const diamond = [t('A', 30), t('B', 60, ['A']), t('C', 20, ['A']), t('D', 10, ['B', 'C'])];

describe('cycles', () => {
  it('returns the cycle path in dependency order, closed', () => {
    const tickets = [t('A', 1, ['B']), t('B', 1, ['C']), t('C', 1, ['A']), t('X', 1)];
    const cycle = findCycle(tickets);
    expect(cycle).toEqual(['A', 'B', 'C', 'A']);
    expect(formatCycle(cycle!)).toBe('A → B → C → A');
  });

  it('finds a cycle reachable only through an acyclic prefix, and a self-dependency', () => {
    expect(findCycle([t('S', 1, ['P']), t('P', 1, ['Q']), t('Q', 1, ['P'])])).toEqual(['P', 'Q', 'P']);
    expect(findCycle([t('A', 1, ['A'])])).toEqual(['A', 'A']);
  });

  it('returns null for a DAG, including a 10,000-ticket chain (no recursion limit)', () => {
    expect(findCycle(diamond)).toBeNull();
    const chain = Array.from({ length: 10_000 }, (_, i) => t(`T${i}`, 1, i === 0 ? [] : [`T${i - 1}`]));
    expect(findCycle(chain)).toBeNull();
    chain[0] = t('T0', 1, ['T9999']);
    expect(findCycle(chain)).toHaveLength(10_001);
  });

  it('buildGraph refuses cycles, unknown dependencies and duplicate ids with InvalidPlan', () => {
    const err = (f: () => unknown): ToolError => {
      try {
        f();
      } catch (e) {
        return e as ToolError;
      }
      throw new Error('no error');
    };
    const cyc = err(() => buildGraph([t('A', 1, ['B']), t('B', 1, ['A'])]));
    expect(cyc.code).toBe('InvalidPlan');
    expect(cyc.message).toBe('Dependency cycle: A → B → A');
    expect(err(() => buildGraph([t('A', 1, ['Z'])])).message).toBe('Ticket `A` depends on unknown ticket `Z`');
    expect(err(() => buildGraph([t('A'), t('A')])).message).toBe('Duplicate ticket id `A`');
    expect(err(() => buildGraph([t('A', -5)])).code).toBe('InvalidPlan');
  });
});

describe('levels and critical path', () => {
  it('groups tickets by topological level', () => {
    expect(topologicalLevels(buildGraph(diamond))).toEqual([['A'], ['B', 'C'], ['D']]);
    // A level is one more than the HIGHEST dependency level, not the first one.
    expect(topologicalLevels(buildGraph([t('A'), t('B', 1, ['A']), t('C', 1, ['A', 'B'])]))).toEqual([['A'], ['B'], ['C']]);
  });

  it('computes the critical path, earliest/latest starts and slack by hand', () => {
    const { path, timings } = criticalPath(buildGraph(diamond));
    expect(path).toEqual({ length: 100, tickets: ['A', 'B', 'D'] });
    const byId = Object.fromEntries(timings.map((x) => [x.ticket, x]));
    expect(byId.A).toEqual({ ticket: 'A', earliestStart: 0, latestStart: 0, slack: 0, bottomLevel: 100 });
    expect(byId.B).toEqual({ ticket: 'B', earliestStart: 30, latestStart: 30, slack: 0, bottomLevel: 70 });
    // C may start at 30 and must start by 70 (70 + 20 + 10 = 100): 40 minutes of slack.
    expect(byId.C).toEqual({ ticket: 'C', earliestStart: 30, latestStart: 70, slack: 40, bottomLevel: 30 });
    expect(byId.D).toEqual({ ticket: 'D', earliestStart: 90, latestStart: 90, slack: 0, bottomLevel: 10 });
  });

  it('handles disconnected components: the path starts at the source of the longest chain', () => {
    const { path } = criticalPath(buildGraph([t('X', 50), t('Y', 10), t('Z', 45, ['Y'])]));
    expect(path).toEqual({ length: 55, tickets: ['Y', 'Z'] });
  });
});
