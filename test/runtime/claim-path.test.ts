import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

/**
 * Every module the helper evaluates at start-up: the static (non-type) imports reachable from the entry
 * point. `claim` is benchmarked (bench/claim.ts); heavy modules must be reached only through `await import()`.
 */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [path.join(ROOT, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) todo.push(path.resolve(path.dirname(file), spec));
      else seen.add(spec);
    }
  }
  return new Set([...seen].map((f) => (path.isAbsolute(f) ? path.relative(ROOT, f).split(path.sep).join('/') : f)));
}

describe("claim's start-up", () => {
  it('loads no scheduler run, no views but the ticket counts, no escalation, yaml or zod statically', () => {
    const loaded = staticClosure('src/cli/orchestrate-main.ts');
    expect(loaded.has('src/runtime/tickets.ts')).toBe(true); // the walk does reach the claim code
    expect(loaded.has('src/runtime/parallelism-limit.ts')).toBe(true);
    const heavy = [...loaded].filter(
      (f) =>
        f === 'yaml' ||
        f === 'zod' ||
        // progress.ts counts tickets with the views' derive.ts (and its format.ts); every message printed is escaped
        // with printable.ts (two regexes, no imports): small, pure, allowed
        (f.startsWith('src/runtime/views/') && !['src/runtime/views/derive.ts', 'src/runtime/views/format.ts', 'src/runtime/views/printable.ts'].includes(f)) ||
        f === 'src/runtime/scheduler/schedule.ts' ||
        f === 'src/runtime/parallelism.ts' ||
        f === 'src/runtime/new-session.ts' ||
        f === 'src/runtime/escalate.ts',
    );
    expect(heavy).toEqual([]);
  });
});
