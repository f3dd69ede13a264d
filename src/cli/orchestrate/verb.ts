import { ToolError } from '../../diagnostics/errors.ts';
import type { ParseArgsConfig } from 'node:util';
import type { ExitCode, MainOptions, Writable } from '../io.ts';
import type { SessionState, TicketState } from '../../runtime/state.ts';
import { parseDurationMs } from '../../runtime/duration.ts';
import { printable } from '../../runtime/views/printable.ts';
import { resolveSessionId, type Store } from '../../runtime/store/store.ts';
import { DEFAULT_LEASE_MS } from '../../runtime/tickets.ts';
import { SCHEDULE_STRATEGIES, type ScheduleStrategy } from '../../runtime/scheduler/types.ts';

/**
 * What every verb of the `orchestrate` CLI shares: the verb and context types, the flag readers (each throws
 * ToolError `InvalidArguments` with the verb's usage line and what was expected), printing (plain text or
 * `--json`), and the views loaded on first use. The verbs themselves are in `*-verbs.ts` beside this file, by
 * area; `../orchestrate.ts` puts them in one table and parses argv.
 */

/** Parsed flag values, by flag name without `--`. */
export type Values = Record<string, string | boolean | string[] | undefined>;
type Options = NonNullable<ParseArgsConfig['options']>;

/** What a verb runs with: the call's options, environment, parsed flags and positionals, the opened store. */
export interface Ctx {
  opts: MainOptions;
  env: Record<string, string | undefined>;
  values: Values;
  positionals: string[];
  json: boolean;
  store: Store;
  out: Writable;
}

/** One verb: its usage line, one-line summary (the global help), details (its --help), flags and body. */
export interface Verb {
  usage: string;
  summary: string;
  details?: string;
  options: Options;
  run(ctx: Ctx): Promise<ExitCode> | ExitCode;
  /** How many positional arguments it takes (default 0). */
  positionals?: number;
}

/** The `--id ID` flag most verbs take. */
export const ID = { id: { type: 'string' } } as const;

/** The string value of flag `k`, or undefined when it was not given (or is a boolean or list). */
export function str(v: Values, k: string): string | undefined {
  const x = v[k];
  return typeof x === 'string' ? x : undefined;
}

/** The string value of flag `k`, not blank. @throws ToolError `InvalidArguments` (`Missing --k`) otherwise. */
export function need(v: Values, k: string, verb: Verb): string {
  const x = str(v, k);
  if (x === undefined || x.trim() === '') throw usageError(verb, `Missing --${k}`);
  return x;
}

/** Flags that name something (an agent, a ticket, a session, a blocker): compared exactly, so ` a` is not `a`. */
const NAME_FLAGS = new Set(['agent', 'ticket', 'id', 'blocker', 'reviewer', 'worker-agent']);

/**
 * Refuses a flag given with an empty or blank value (`--agent ''`, `--reason '  '`, `--plan ''`, one of
 * `--files a.ts --files ''`): no flag means "nothing" by being empty — a blank agent would hold tickets, a
 * blank reason be recorded, `--test-cmd ''` count as a test run, `--plan ''` read the current folder, and
 * `agents --agent ''` show every agent. Leave the flag out instead. A name (see {@link NAME_FLAGS}) with spaces
 * around it is refused too: `--agent ' a'` would be an agent other than `a`, holding its own ticket.
 * @throws ToolError `InvalidArguments` naming the flag.
 */
export function checkFlagValues(verb: Verb, v: Values): void {
  for (const [k, x] of Object.entries(v)) {
    const items = Array.isArray(x) ? x : typeof x === 'string' ? [x] : [];
    if (items.some((i) => i.trim() === '')) throw usageError(verb, `Empty --${k}, expected a value (leave the flag out when there is none)`);
    const spaced = NAME_FLAGS.has(k) ? items.find((i) => i !== i.trim()) : undefined;
    if (spaced !== undefined) throw usageError(verb, `Invalid --${k} \`${spaced}\`, expected a name without spaces around it`);
  }
}

/** A ToolError `InvalidArguments` whose message is the verb's usage line, then `message`. */
export function usageError(verb: Verb, message: string): ToolError {
  return new ToolError('InvalidArguments', `${verb.usage}\n${message}`);
}

/**
 * Flag `k` as an integer from `min` to `max` (inclusive), or undefined when not given.
 * @throws ToolError `InvalidArguments` naming the flag, the value and the range.
 */
export function intFlag(verb: Verb, v: Values, k: string, min: number, max: number): number | undefined {
  const x = str(v, k);
  if (x === undefined) return undefined;
  if (!/^-?\d+$/.test(x) || Number(x) < min || Number(x) > max) throw usageError(verb, `Invalid --${k} \`${x}\`, expected an integer from ${min} to ${max}`);
  return Number(x);
}

/** One flag as parseArgs' `tokens` lists it. */
type OptionToken = { kind: string; name?: string; value?: string | undefined };

/**
 * Refuses a one-value flag given twice with different values (`--agent a --agent b`, `--id s1 --id s2`):
 * parseArgs keeps the last one silently. `options` are the flags the call accepts; those declared `multiple`
 * (`--files`, `--returned`) may repeat, and so may boolean flags and a flag repeated with the same value.
 * @throws ToolError `InvalidArguments` naming the flag and both values.
 */
export function onceEach(verb: Verb, options: Options, tokens: readonly OptionToken[]): void {
  const seen = new Map<string, string>();
  for (const t of tokens) {
    const o = t.kind === 'option' && t.name !== undefined ? options[t.name] : undefined;
    if (!o || o.type !== 'string' || o.multiple || t.value === undefined) continue;
    const before = seen.get(t.name!);
    if (before !== undefined && before !== t.value) throw usageError(verb, `--${t.name} given twice with different values (\`${before}\`, \`${t.value}\`), expected one`);
    seen.set(t.name!, t.value);
  }
}

/** `--strategy` when given: one of the three strategies. @throws ToolError `InvalidArguments` otherwise. */
export function strategyFlag(verb: Verb, v: Values): ScheduleStrategy | undefined {
  const x = str(v, 'strategy');
  if (x === undefined) return undefined;
  const known = SCHEDULE_STRATEGIES.find((s) => s === x);
  if (known) return known;
  throw usageError(verb, `Invalid --strategy \`${x}\`, expected one of ${SCHEDULE_STRATEGIES.map((s) => `\`${s}\``).join(', ')}`);
}

/** Longest lease accepted (7 days, in ms): beyond it a lease is a typo, and far beyond it not a date at all. */
const MAX_LEASE_MS = 7 * 24 * 3_600_000;

/**
 * The lease in ms: `--lease` (a duration: `30s`, `15m`, `2h`, or plain minutes), else `ORCHESTRATE_LEASE` when
 * set, else the default (15 min).
 * @throws ToolError `InvalidArguments` for a value that is no duration; `OutOfRange` above 7 days;
 * `InvalidEnvironment` for an `ORCHESTRATE_LEASE` that is either.
 */
export function leaseFlag(verb: Verb, v: Values, env: Record<string, string | undefined>): number {
  const x = str(v, 'lease');
  if (x === undefined) {
    const text = env.ORCHESTRATE_LEASE;
    if (text === undefined || text === '') return DEFAULT_LEASE_MS;
    const envLease = parseDurationMs(text);
    if (envLease === null || envLease > MAX_LEASE_MS) throw new ToolError('InvalidEnvironment', `ORCHESTRATE_LEASE=\`${text}\` is not a duration up to 7 days, expected e.g. \`30s\`, \`15m\`, \`2h\` or minutes`);
    return envLease;
  }
  const ms = parseDurationMs(x);
  if (ms === null) throw usageError(verb, `Invalid --lease \`${x}\`, expected a duration such as \`30s\`, \`15m\`, \`2h\` or minutes`);
  if (ms > MAX_LEASE_MS) throw new ToolError('OutOfRange', `${verb.usage}\n--lease \`${x}\` is out of range, expected at most 7 days (\`168h\`)`);
  return ms;
}

/** `--format markdown|json` of a report verb; `json` under `--json` when not given. @throws ToolError `InvalidArguments` otherwise. */
export function formatFlag(verb: Verb, ctx: Ctx): 'markdown' | 'json' {
  const format = str(ctx.values, 'format') ?? (ctx.json ? 'json' : 'markdown');
  if (format !== 'markdown' && format !== 'json') throw usageError(verb, `Invalid --format \`${format}\`, expected one of \`markdown\`, \`json\``);
  return format;
}

/** Flag `k` as a list: repeated flags and comma-separated items, trimmed, empties dropped. */
export function list(v: Values, k: string): string[] {
  const x = v[k];
  const items = Array.isArray(x) ? x : typeof x === 'string' ? [x] : [];
  return items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

/**
 * `next --returned` as a list (see {@link list}), each item `WORKER:TICKET:ATTEMPT` (the first word of the
 * agent's description), `WORKER:TICKET`, or a bare worker name or ticket id. A report that matches no running
 * ticket is harmless (a late notification), but one of another shape could never match: it is refused.
 * @throws ToolError `InvalidArguments` naming the item and the shapes expected.
 */
export function returnedFlag(verb: Verb, v: Values): string[] {
  const items = list(v, 'returned');
  for (const r of items) {
    const parts = r.split(':');
    if (parts.length <= 3 && parts.every((p) => p !== '') && (parts.length < 3 || /^\d+$/.test(parts[2]!))) continue;
    throw usageError(verb, `Invalid --returned \`${r}\`, expected WORKER:TICKET:ATTEMPT (the first word of the agent's description, e.g. \`worker-2:MOD-001:1\`), WORKER:TICKET, or a worker name or ticket id`);
  }
  return items;
}

/**
 * Writes `value` as indented JSON under `--json`, else the `plain` text (newline-terminated), its control
 * characters escaped (views/printable.ts: a reason or title quoted back cannot clear the screen). Returns exit 0.
 */
export function print(ctx: Ctx, value: unknown, plain: string): ExitCode {
  ctx.out.write(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : printable(plain.endsWith('\n') ? plain : `${plain}\n`, true));
  return 0;
}

/** The session the call acts on: `--id`, else the current session (see `resolveSessionId` for its errors). */
export function sessionOf(ctx: Ctx): Promise<string> {
  return resolveSessionId(ctx.store, str(ctx.values, 'id'));
}

/** The ticket a gate verb acts on: `TICKET` or `--ticket T` (one of them). */
export function ticketArg(verb: Verb, ctx: Ctx): string {
  const flag = str(ctx.values, 'ticket');
  const pos = ctx.positionals[0];
  if (flag !== undefined && pos !== undefined && flag !== pos) throw usageError(verb, 'Pass the ticket once (TICKET or --ticket T)');
  const t = pos ?? flag;
  if (t === undefined || t === '') throw usageError(verb, 'Missing TICKET');
  return t;
}

/** The ticket fields a claim returns to the agent. */
export function ticketView(t: TicketState): Record<string, unknown> {
  return {
    id: t.id,
    title: t.title,
    priority: t.priority,
    estimate_minutes: t.estimate_minutes,
    dependencies: t.dependencies,
    files: t.files,
    agent_type: t.agent_type,
    acceptance: t.acceptance,
    status: t.status,
    agent: t.agent,
    attempts: t.attempts,
    max_attempts: t.max_attempts ?? null,
    review_notes: t.review_notes ?? null,
    claimed_at: t.claimed_at,
    lease_expires_at: t.lease_expires_at,
    checkpoint: t.checkpoint,
  };
}

/** `ID: status` with the status reason in brackets when there is one. */
export function sessionLine(s: SessionState): string {
  return `${s.id}: ${s.status}${s.status_reason ? ` (${s.status_reason})` : ''}`;
}

/** Views and scheduler functions, loaded on first use (kept out of claim's start-up). */
export const views = {
  status: () => import('../../runtime/views/status.ts'),
  events: () => import('../../runtime/views/events.ts'),
  report: () => import('../../runtime/views/report.ts'),
  consolidate: () => import('../../runtime/views/consolidate.ts'),
  scheduleText: () => import('../../runtime/views/schedule-text.ts'),
  dashboard: () => import('../../runtime/views/dashboard.ts'),
  blockers: () => import('../../runtime/views/blockers.ts'),
};
