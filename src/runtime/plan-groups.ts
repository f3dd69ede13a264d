import { ToolError } from '../diagnostics/errors.ts';
import type { Plan } from '../definitions/plan.ts';
import { buildGraph } from './scheduler/graph.ts';
import { levelIndices } from './scheduler/levels.ts';

/**
 * `init --groups 1,3 [--skip-dependencies]` (seed 004's group filter): the plan with only the tickets of the
 * given dependency groups (topological levels, numbered from 1 as `schedule` prints them). A dependency on a
 * ticket left out is dropped with `skipDependencies`; without it the call is refused, naming each such
 * dependency (it must run first). Pure: `plan` is not changed.
 * @throws ToolError `InvalidArguments` for a group the plan does not have, or dependencies outside the groups
 *   (without `skipDependencies`); `InvalidPlan` when the plan cannot be scheduled (a cycle).
 */
export function selectGroups(plan: Plan, groups: readonly number[], skipDependencies: boolean): Plan {
  const graph = buildGraph(plan.tickets);
  const levels = levelIndices(graph);
  const unknown = groups.filter((g) => !Number.isInteger(g) || g < 1 || g > levels.length);
  if (unknown.length > 0) {
    throw new ToolError('InvalidArguments', `Unknown group${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}: the plan has groups 1 to ${levels.length}`);
  }
  const keep = new Set(groups.flatMap((g) => levels[g - 1]!.map((i) => graph.ids[i]!)));
  const tickets = plan.tickets.filter((t) => keep.has(t.id));
  const outside = tickets.flatMap((t) => t.dependencies.filter((d) => !keep.has(d)).map((d) => `\`${t.id}\` → \`${d}\``));
  if (outside.length > 0 && !skipDependencies) {
    throw new ToolError('InvalidArguments', `Tickets of groups ${groups.join(', ')} depend on tickets outside them: ${outside.join(', ')}`, {
      hint: 'Add the groups those tickets are in, or pass --skip-dependencies to drop these dependencies for this session.',
    });
  }
  return { ...plan, tickets: tickets.map((t) => ({ ...t, dependencies: t.dependencies.filter((d) => keep.has(d)) })) };
}

/**
 * `--priority critical,high` (seed 004's `analyze-dependencies --priority`): the plan with only the tickets
 * of those priorities and, transitively, every ticket they depend on (they must run first). Pure.
 * @throws ToolError `InvalidArguments` for an unknown priority, or when no ticket has one of them.
 */
export function selectPriorities(plan: Plan, priorities: readonly string[]): Plan {
  const known = ['critical', 'high', 'medium', 'low'];
  const bad = priorities.filter((p) => !known.includes(p));
  if (bad.length > 0) throw new ToolError('InvalidArguments', `Unknown priorit${bad.length === 1 ? 'y' : 'ies'} ${bad.map((p) => `\`${p}\``).join(', ')}, expected ${known.map((p) => `\`${p}\``).join(', ')}`);
  const byId = new Map(plan.tickets.map((t) => [t.id, t]));
  const keep = new Set<string>();
  const stack = plan.tickets.filter((t) => priorities.includes(t.priority)).map((t) => t.id);
  if (stack.length === 0) throw new ToolError('InvalidArguments', `No ticket has priority ${priorities.join(' or ')}`);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    stack.push(...(byId.get(id)?.dependencies ?? []));
  }
  return { ...plan, tickets: plan.tickets.filter((t) => keep.has(t.id)) };
}
