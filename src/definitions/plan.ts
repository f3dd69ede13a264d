import * as z from 'zod';
import { SAFE_ID_PATTERN } from './plan-id.ts';
import { SCHEDULE_STRATEGIES } from './strategies.ts';

/**
 * The plan file (`PLAN.yaml`, DESIGN.md "Plan file"): the input of `orchestrate init` / `validate`.
 * Schemas here are pure shape checks; whole-plan checks (duplicate ids, unknown dependencies, cycles) live in
 * `plan-graph.ts` and `plan-load.ts`, which also map every problem to a `path:line:col` diagnostic.
 */

/**
 * A ticket id: free text that is safe as a file-name part and inside a shell word. 1–64 characters from
 * `A-Z a-z 0-9 . _ -`, starting with a letter or digit, and no `..` (so `../x`, `a/b`, `$(rm)`, spaces,
 * quotes and control characters are all rejected). Numeric-looking ids such as `001` stay strings: the
 * plan loader keeps the YAML source text of a plain scalar, so `001` is `"001"`, not `1`.
 */
export const TicketIdSchema = z
  .string()
  .min(1, 'Ticket id is empty')
  .max(64, 'Ticket id is longer than 64 characters')
  .regex(SAFE_ID_PATTERN, {
    message: 'Ticket id must contain only letters, digits, `.`, `_` and `-`, and start with a letter or digit',
  })
  .refine((s) => !s.includes('..'), { message: 'Ticket id must not contain `..`' });

/**
 * A ticket of another session: `SESSION:TICKET` (both safe ids, see {@link TicketIdSchema}). A ticket that
 * `requires` one is ready only once that ticket is completed in that session (seed 003's cross-session
 * dependencies).
 */
export const ExternalRequirementSchema = z.string().max(130).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  message: 'Expected `SESSION:TICKET` (a session id and a ticket id of that session, joined by `:`)',
});

/** A ticket id (see {@link TicketIdSchema}). */
export type TicketId = z.infer<typeof TicketIdSchema>;

/** Ticket priority, most urgent first. */
export const PrioritySchema = z.enum(['critical', 'high', 'medium', 'low']);
/** Ticket priority. */
export type Priority = z.infer<typeof PrioritySchema>;

/** Priority rank: critical 0 … low 3 (lower runs first). */
export const PRIORITY_RANK: Record<Priority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Scheduling strategy of a plan / session: how many tickets may run at once (see the scheduler). */
export const StrategySchema = z.enum(SCHEDULE_STRATEGIES);
/** Scheduling strategy. */
export type Strategy = z.infer<typeof StrategySchema>;

const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(m|min|h|hr)?\s*$/i;

/**
 * Parses a duration as written in a plan: `90m`, `2h`, `1.5h`, or a bare number of minutes (`45`, `"45"`).
 * Returns whole minutes (rounded, at least 0), or null when the text is not a duration.
 */
export function parseMinutes(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  const m = DURATION_RE.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  return Math.round(unit.startsWith('h') ? n * 60 : n);
}

/**
 * A ticket estimate: `90m`, `2h`, `1.5h` or a number of minutes; normalised to a whole number of minutes
 * (at most 100,000 minutes). Input type `string | number`, output type `number`.
 */
export const EstimateSchema = z
  .union([z.number().nonnegative().max(100_000), z.string().max(32)])
  .transform((v, ctx) => {
    const minutes = parseMinutes(v);
    if (minutes === null || minutes > 100_000) {
      ctx.addIssue({ code: 'custom', message: `Invalid estimate \`${String(v)}\`, expected \`90m\`, \`2h\`, \`1.5h\` or a number of minutes` });
      return z.NEVER;
    }
    return minutes;
  });

/** Default estimate in minutes when a ticket has none. */
export const DEFAULT_ESTIMATE_MINUTES = 60;

/**
 * One unit of work in a plan.
 * - `id`: {@link TicketIdSchema}; `title`: one line.
 * - `priority`: default `medium`. `estimate`: minutes (default 60).
 * - `dependencies`: ids of tickets that must be `completed` before this one may be claimed.
 * - `files`: paths the ticket will touch; two tickets sharing a file never run at the same time.
 * - `agent`: the subagent type meant to do it (e.g. `implementation-agent`), optional.
 * - `acceptance`: acceptance criteria, free text.
 * - `requires`: tickets of other sessions, as `SESSION:TICKET`, that must be completed first.
 * - `max_attempts`: most claims this ticket may get (a failed attempt is retried until then), 1–100; default
 *   the plan's `max_attempts`.
 * - `description`, `group`: optional free text / group number, informational only.
 */
export const TicketSchema = z.strictObject({
  id: TicketIdSchema,
  title: z.string().min(1).max(500),
  priority: PrioritySchema.default('medium'),
  estimate: EstimateSchema.default(DEFAULT_ESTIMATE_MINUTES),
  dependencies: z.array(TicketIdSchema).max(10_000).default([]),
  files: z.array(z.string().min(1).max(1000)).max(10_000).default([]),
  agent: z.string().min(1).max(200).optional(),
  acceptance: z.array(z.string().max(2000)).max(1000).default([]),
  requires: z.array(ExternalRequirementSchema).max(1000).optional(),
  max_attempts: z.number().int().min(1).max(100).optional(),
  description: z.string().max(20_000).optional(),
  group: z.number().int().nonnegative().optional(),
});

/** A validated ticket (estimate in minutes, defaults filled in). */
export type Ticket = z.infer<typeof TicketSchema>;
/** A ticket as written in a plan file (before defaults and normalisation). */
export type TicketInput = z.input<typeof TicketSchema>;

/** Most tickets one plan may hold. */
export const MAX_TICKETS = 10_000;

/**
 * A plan file.
 * - `title`: the session title. `agents`: parallel agents available (1–1000, default 4).
 * - `strategy`: default `balanced`. `tickets`: 1 to {@link MAX_TICKETS} tickets.
 * - `max_attempts`: default claims per ticket (1–100); without it the session's setting (3, or `init
 *   --max-attempts N`).
 * - `description`: optional free text.
 */
export const PlanSchema = z.strictObject({
  title: z.string().min(1).max(500),
  agents: z.number().int().min(1).max(1000).default(4),
  strategy: StrategySchema.default('balanced'),
  max_attempts: z.number().int().min(1).max(100).optional(),
  description: z.string().max(20_000).optional(),
  tickets: z.array(TicketSchema).min(1, 'A plan needs at least one ticket').max(MAX_TICKETS),
});

/** A validated plan. */
export type Plan = z.infer<typeof PlanSchema>;
/** A plan as written in YAML (before defaults and normalisation). */
export type PlanInput = z.input<typeof PlanSchema>;
