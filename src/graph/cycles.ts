/**
 * Dependency-cycle detection. A cycle makes a plan unschedulable; the validator reports it with the path.
 */

/** The minimal shape cycle detection reads. */
export interface DependencyNode {
  readonly id: string;
  readonly dependencies: readonly string[];
}

/**
 * Finds one dependency cycle, or null when the graph is acyclic. The result is a closed path in dependency
 * order — each ticket depends on the next, and the first id is repeated at the end: `['A', 'B', 'C', 'A']`
 * means A depends on B, B on C, C on A. A self-dependency gives `['A', 'A']`. Unknown dependency ids are
 * ignored (reported elsewhere). Iterative DFS, O(n + e), safe for 10,000-ticket chains.
 */
export function findCycle(tickets: readonly DependencyNode[]): string[] | null {
  const index = new Map<string, number>();
  tickets.forEach((t, i) => index.set(t.id, i));
  const n = tickets.length;
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const next = new Int32Array(n); // next dependency position to explore
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    const stack: number[] = [root];
    state[root] = 1;
    while (stack.length > 0) {
      const v = stack[stack.length - 1]!;
      const deps = tickets[v]!.dependencies;
      const k = next[v]!;
      if (k < deps.length) {
        next[v] = k + 1;
        const w = index.get(deps[k]!);
        if (w === undefined) continue;
        if (state[w] === 0) {
          state[w] = 1;
          stack.push(w);
        } else if (state[w] === 1) {
          // v → … back to w: the stack from w to v is the cycle.
          const path: string[] = [];
          for (let i = stack.indexOf(w); i < stack.length; i++) path.push(tickets[stack[i]!]!.id);
          path.push(tickets[w]!.id);
          return path;
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  return null;
}

/** Formats a cycle path for messages: `A → B → C → A`. */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}
