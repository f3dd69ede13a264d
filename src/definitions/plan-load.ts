import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type * as z from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { findCycle, formatCycle } from '../graph/cycles.ts';
import { PlanSchema, type Plan } from './plan.ts';
import { pathProblem } from '../util/safe-path.ts';
import { pairOf } from './yaml-pair.ts';

/** Largest plan file accepted, in bytes (4 MiB ≈ 25,000 ordinary tickets). Larger files fail fast. */
export const MAX_PLAN_BYTES = 4 * 1024 * 1024;
/** Most YAML aliases a plan may use (an alias bomb fails fast instead of exhausting memory). */
export const PLAN_MAX_ALIAS_COUNT = 100;

/** Result of {@link checkPlanText}: the plan when valid, and every problem found (empty when valid). */
export interface PlanCheck {
  plan: Plan | null;
  diagnostics: Diagnostic[];
}

/**
 * Validates a plan file's text and reports EVERY problem with its position: YAML syntax errors
 * (`plan-yaml`), schema errors (`plan-schema`), duplicate ids at the second occurrence (`plan-duplicate-id`),
 * unknown dependencies at the dependency item (`plan-unknown-dependency`), self-dependencies
 * (`plan-self-dependency`) and dependency cycles with their path `A → B → C → A` (`plan-cycle`).
 * `file` is the path printed in diagnostics. Never throws for bad input.
 */
export function checkPlanText(file: string, text: string): PlanCheck {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const at = (range: readonly number[] | undefined | null, code: string, message: string, hint?: string) => {
    const { line, col } = range ? lineCounter.linePos(range[0]!) : { line: 1, col: 1 };
    diagnostics.push({ file, line, col, severity: 'error', code, message, ...(hint ? { hint } : {}) });
  };
  if (Buffer.byteLength(text, 'utf8') > MAX_PLAN_BYTES) {
    diagnostics.push({ file, line: 0, col: 0, severity: 'error', code: 'plan-too-large', message: `Plan file is ${(Buffer.byteLength(text, 'utf8') / 1048576).toFixed(1)} MiB, expected at most ${MAX_PLAN_BYTES / 1048576} MiB` });
    return { plan: null, diagnostics };
  }
  // logLevel 'error': a key that is a list (`? [a]`) makes toJS warn on stderr otherwise; the schema reports it.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: true, logLevel: 'error' });
  for (const e of doc.errors) at(e.pos, 'plan-yaml', e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
  if (doc.errors.length > 0) return { plan: null, diagnostics };

  keepIdsAsStrings(doc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: PLAN_MAX_ALIAS_COUNT });
  } catch (e) {
    at([0], 'plan-yaml', e instanceof Error ? e.message : String(e), 'Remove the YAML aliases (`*name`); a plan does not need them.');
    return { plan: null, diagnostics };
  }

  const parsed = PlanSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const owner = issue.path.length ? doc.getIn(issue.path as unknown[], true) : doc.contents;
        for (const key of issue.keys) {
          const pair = pairOf(owner, key);
          const range = pair && isScalar(pair.key) ? pair.key.range : rangeOf(doc, issue.path);
          at(range, 'plan-schema', `Unknown key \`${key}\`${issue.path.length ? ` in \`${issue.path.join('.')}\`` : ''}`);
        }
        continue;
      }
      at(rangeOf(doc, issue.path), 'plan-schema', issueMessage(issue));
    }
  }

  // Whole-plan checks run on whatever tickets are readable, so one run reports every problem.
  const tickets = Array.isArray((data as { tickets?: unknown })?.tickets) ? ((data as { tickets: unknown[] }).tickets) : [];
  const seen = new Map<string, number>();
  const nodes: { id: string; dependencies: string[] }[] = [];
  tickets.forEach((t, i) => {
    if (t === null || typeof t !== 'object') return;
    const id = (t as { id?: unknown }).id;
    if (typeof id !== 'string') return;
    if (seen.has(id)) {
      at(rangeOf(doc, ['tickets', i, 'id']), 'plan-duplicate-id', `Duplicate ticket id \`${id}\`, first defined at ticket ${seen.get(id)! + 1}`);
      return;
    }
    seen.set(id, i);
    const depsRaw = (t as { dependencies?: unknown }).dependencies;
    const deps = Array.isArray(depsRaw) ? depsRaw.filter((d): d is string => typeof d === 'string') : [];
    nodes.push({ id, dependencies: deps });
  });
  tickets.forEach((t, i) => {
    if (t === null || typeof t !== 'object') return;
    const id = (t as { id?: unknown }).id;
    const depsRaw = (t as { dependencies?: unknown }).dependencies;
    if (!Array.isArray(depsRaw)) return;
    depsRaw.forEach((d, j) => {
      if (typeof d !== 'string') return;
      if (d === id) at(rangeOf(doc, ['tickets', i, 'dependencies', j]), 'plan-self-dependency', `Ticket \`${d}\` depends on itself`);
      else if (!seen.has(d)) at(rangeOf(doc, ['tickets', i, 'dependencies', j]), 'plan-unknown-dependency', `Unknown dependency \`${d}\`, expected the id of a ticket in this plan`);
    });
  });
  const acyclic = nodes.map((n) => ({ id: n.id, dependencies: n.dependencies.filter((d) => d !== n.id && seen.has(d)) }));
  const cycle = findCycle(acyclic);
  if (cycle) {
    const first = seen.get(cycle[0]!)!;
    const depIndex = (((tickets[first] as { dependencies?: unknown[] }).dependencies) ?? []).indexOf(cycle[1]);
    at(rangeOf(doc, ['tickets', first, 'dependencies', depIndex >= 0 ? depIndex : 0]), 'plan-cycle', `Dependency cycle: ${formatCycle(cycle)}`, 'Remove one of the dependencies in the cycle.');
  }

  diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
  return { plan: diagnostics.length === 0 && parsed.success ? parsed.data : null, diagnostics };
}

/**
 * Reads and validates the plan at `path` (printed as `displayPath`).
 * @returns the valid plan.
 * @throws ToolError `InvalidPlan` with every problem as diagnostics (exit 1); a file that cannot be read or is
 *   larger than {@link MAX_PLAN_BYTES} is one diagnostic (`plan-read`, `plan-too-large`) too.
 */
export function loadPlan(path: string, displayPath = path): Plan {
  let text: string;
  function fail(code: string, message: string, hint?: string): never {
    throw new ToolError('InvalidPlan', `Plan \`${displayPath}\` cannot be used`, { diagnostics: [{ file: displayPath, line: 0, col: 0, severity: 'error', code, message, ...(hint ? { hint } : {}) }] });
  }
  try {
    const st = statSync(path);
    if (!st.isFile()) fail('plan-read', 'Expected a plan file, found a folder or other non-file');
    if (st.size > MAX_PLAN_BYTES) fail('plan-too-large', `Plan file is ${(st.size / 1048576).toFixed(1)} MiB, expected at most ${MAX_PLAN_BYTES / 1048576} MiB`, 'Split the plan into several sessions.');
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ToolError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = pathProblem(code) ?? (code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(e)));
    fail('plan-read', `Cannot read the plan file: ${why}${code && why !== code ? ` [${code}]` : ''}`);
  }
  const { plan, diagnostics } = checkPlanText(displayPath, text);
  if (!plan) {
    const n = diagnostics.length;
    throw new ToolError('InvalidPlan', `Plan \`${displayPath}\` has ${n} problem${n === 1 ? '' : 's'}`, { diagnostics });
  }
  return plan;
}

/** Plain scalars under `tickets[*].id` and `tickets[*].dependencies[*]` keep their source text (`001` stays `"001"`). */
function keepIdsAsStrings(doc: Document.Parsed): void {
  const tickets = isMap(doc.contents) ? doc.contents.get('tickets', true) : undefined;
  if (!isSeq(tickets)) return;
  const fix = (n: unknown) => {
    if (isScalar(n) && typeof n.value !== 'string' && n.type === 'PLAIN' && typeof n.source === 'string' && n.value !== null) n.value = n.source;
  };
  for (const t of tickets.items) {
    if (!isMap(t)) continue;
    fix(t.get('id', true));
    const deps = t.get('dependencies', true);
    if (isSeq(deps)) deps.items.forEach(fix);
  }
}

/** The source range of the node at `path`, or of its closest existing ancestor (for missing keys). */
function rangeOf(doc: Document.Parsed, path: readonly PropertyKey[]): readonly number[] | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined);
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      // For a key that exists, point at the key of the pair when the value is missing.
      return node.range;
    }
  }
  return null;
}

/** One zod issue as a house-style message (code in backticks, no trailing period). */
function issueMessage(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `\`${issue.path.join('.')}\`: ` : '';
  if (issue.code === 'unrecognized_keys') return `${where}Unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
  return `${where}${issue.message.replace(/\.$/, '')}`;
}
