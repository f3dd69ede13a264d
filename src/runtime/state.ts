import type { Priority, Strategy } from '../definitions/plan.ts';

/**
 * The orchestration state of one session, as stored in `.orchestration/sessions/<id>.yaml` (human-readable
 * YAML, keys in the order below). Every change goes through the store (`src/runtime/store/`): lock, re-read,
 * check `revision`, apply, append one event to `.orchestration/logs/<id>.jsonl`, write atomically.
 *
 * Times are ISO-8601 UTC strings (`2026-11-21T10:30:00.000Z`) or null. Durations are minutes.
 * This file holds types only (no zod): the helper reads state on every call and must start fast.
 */

/** Format version of the state file. */
export const STATE_VERSION = 1;

/**
 * Session lifecycle. Allowed transitions (anything else is ToolError `InvalidTransition`, state unchanged):
 * - `planned` → `coordinating` (activate) | `stopped`
 * - `coordinating` → `paused` | `blocked` | `completed` (all tickets completed) | `failed` | `stopped`
 * - `paused` → `coordinating` (resume) | `stopped`
 * - `blocked` → `coordinating` (resume / unblock) | `paused` | `completed` | `stopped` | `failed`
 * - `completed` → `coordinating` only through `rollback` (a completed ticket reverted re-opens the session).
 * - `failed` → `coordinating` only through `retry` (a failed ticket given another attempt re-opens it).
 * - `stopped`: final — every change is refused (`transact`).
 */
export type SessionStatus = 'planned' | 'coordinating' | 'paused' | 'blocked' | 'completed' | 'failed' | 'stopped';

/** The allowed session transitions (see {@link SessionStatus}). */
export const SESSION_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  planned: ['coordinating', 'stopped'],
  coordinating: ['paused', 'blocked', 'completed', 'failed', 'stopped'],
  paused: ['coordinating', 'stopped'],
  blocked: ['coordinating', 'paused', 'completed', 'stopped', 'failed'],
  completed: ['coordinating'],
  failed: ['coordinating'],
  stopped: [],
};

/** Session statuses that count as "active" for the `--id`-less lookup and `sessions`. */
export const ACTIVE_SESSION_STATUSES: readonly SessionStatus[] = ['planned', 'coordinating', 'paused', 'blocked'];

/**
 * Ticket lifecycle:
 * - `pending`: not started (claimable once every dependency is `completed`, no running ticket shares a file,
 *   and the session is `coordinating`).
 * - `claimed`: an agent took it (`claim`); it holds a lease until `lease_expires_at`.
 * - `in_progress`: the agent reported work (`heartbeat`); still leased.
 * - `completed`: done, with evidence. Final unless rolled back.
 * - `review`: the agent completed it under `comprehensive` validation; it waits for `approve` (→ `completed`)
 *   or `reject` (→ `pending`, with `review_notes`). Its dependants wait.
 * - `failed`: the agent gave up (`fail`), or an agent returned without a result on its last attempt. `retry`
 *   (or `next`, while attempts are left) puts it back to `pending`; `fail --retry` does so at once.
 * - `blocked`: an agent or the coordinator blocked it (`block`), with `blocked_reason`; `unblock` → `pending`.
 * A `claimed`/`in_progress` ticket whose lease expired is claimable again (the expiry is logged).
 */
export type TicketStatus = 'pending' | 'claimed' | 'in_progress' | 'review' | 'completed' | 'failed' | 'blocked';

/** Every ticket status, in lifecycle order. */
export const TICKET_STATUSES: readonly TicketStatus[] = ['pending', 'claimed', 'in_progress', 'review', 'completed', 'failed', 'blocked'];

/** Ticket statuses that mean "an agent is working on it" (hold files, count as running). */
export const RUNNING_TICKET_STATUSES: readonly TicketStatus[] = ['claimed', 'in_progress'];

/**
 * Ticket statuses that are neither done, running nor claimable: their dependants wait (`failed`, `blocked`,
 * and `review`, which waits for the review gate). The scheduler calls these `unavailable`.
 */
export const HELD_TICKET_STATUSES: readonly TicketStatus[] = ['review', 'failed', 'blocked'];

/**
 * What an agent recorded when it completed a ticket (`complete`).
 * - `commits`: commit SHAs (full, as resolved by git when available) — `rollback` reverts exactly these.
 * - `files`: files the agent says it changed. `test_cmd` / `test_exit`: the test command and its exit code.
 * - `verified`: true when `complete --verify` checked the commit, its files and re-ran the test command.
 */
export interface TicketEvidence {
  commits: string[];
  files: string[];
  test_cmd: string | null;
  test_exit: number | null;
  verified: boolean;
  /** False when the agent gave neither a commit nor a test result (allowed under `standard` validation only); absent otherwise. */
  given?: boolean;
}

/**
 * One ticket in a session: the plan's fields (copied at `init`, so the session file is self-contained)
 * followed by the runtime fields.
 * - `agent_type`: the plan ticket's `agent` (the subagent type meant to do it), or null.
 * - `agent`: the agent NAME that holds or last held the ticket (`claim --agent NAME`), or null.
 * - `claimed_at`, `lease_expires_at`, `heartbeat_at`: times of the current claim; null when not claimed.
 * - `started_at`: first claim; `completed_at`: when it became `completed` (or failed).
 * - `progress`: 0–100 as last reported by `heartbeat --progress` (100 when completed).
 * - `note`: last `heartbeat --note`. `attempts`: number of claims so far. `max_attempts`: most claims allowed
 *   (plan ticket's `max_attempts`, else the plan's, else the session's setting; absent in older files: then
 *   the session setting applies — read it through `maxAttemptsOf` in `settings.ts`).
 * - `requires`: tickets of other sessions (`SESSION:TICKET`) that must be completed first; absent when none.
 * - `review_notes`: the reviewer's reason of the last `reject`, given to the next attempt; `reviewer`: the
 *   worker holding the ticket's review (`next` hands it out), or null.
 * - `checkpoint`: git HEAD (full SHA) at the time of the claim, when in a git repository.
 * - `blocked_reason`, `failure_reason`: set while `blocked` / after `failed`.
 * - `summary`: the agent's result summary (`complete --summary`). `evidence`: see {@link TicketEvidence}.
 */
export interface TicketState {
  id: string;
  title: string;
  priority: Priority;
  estimate_minutes: number;
  dependencies: string[];
  files: string[];
  agent_type: string | null;
  acceptance: string[];
  status: TicketStatus;
  agent: string | null;
  claimed_at: string | null;
  lease_expires_at: string | null;
  heartbeat_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  progress: number;
  note: string | null;
  attempts: number;
  max_attempts?: number;
  checkpoint: string | null;
  blocked_reason: string | null;
  failure_reason: string | null;
  summary: string | null;
  evidence: TicketEvidence | null;
  review_notes?: string | null;
  reviewer?: string | null;
  requires?: string[];
}

/** Validation level of a session: what `complete` requires (see {@link SessionSettings}). */
export type ValidationLevel = 'standard' | 'strict' | 'comprehensive';

/** Every validation level. */
export const VALIDATION_LEVELS: readonly ValidationLevel[] = ['standard', 'strict', 'comprehensive'];

/**
 * How a run was started, stored at `init` (`settings:` in the state file) so `next`, `resume` and a new
 * conversation continue exactly as started (docs/contracts.md §6).
 * - `validation`: `standard` (a summary; evidence recorded as given or not), `strict` (`complete` verifies: a
 *   commit that changes only the ticket's declared files, the test command re-run), `comprehensive` (strict,
 *   and a completed ticket waits in `review` for `approve` / `reject`).
 * - `reviewer`: agent type of the review gate. `worker_agent`: agent type for tickets whose own type does not
 *   exist. `max_attempts`: default claims per ticket. `dashboard`, `pause_on_conflicts`: runner options.
 * - `command`: the slash command that started the run, or null.
 */
export interface SessionSettings {
  validation: ValidationLevel;
  reviewer: string;
  worker_agent: string;
  max_attempts: number;
  dashboard: boolean;
  pause_on_conflicts: boolean;
  command: string | null;
}

/**
 * A recorded blocker (from `block`, or escalated by `blockers --escalate`).
 * - `id`: `B1`, `B2`, … unique within the session. `kind`: `ticket` (an agent blocked a ticket), or an
 *   analysis kind (`stalled`, `failed-dependency`, `deadlock`, `file-conflict`, `blocked`) recorded by
 *   `blockers --escalate` (`src/runtime/escalate.ts`: once per open ticket and kind).
 * - `ticket`: the ticket concerned, or null. `resolved_at` / `resolution`: set by `unblock`.
 */
export interface Blocker {
  id: string;
  kind: string;
  ticket: string | null;
  agent: string | null;
  reason: string;
  created_at: string;
  resolved_at: string | null;
  resolution: string | null;
}

/**
 * The last escalation (`blockers --escalate`): when, why (the analysis summary), and which open blocker ids
 * cover its findings. Null when none. Escalation blocks the session only on an error finding (see `escalate.ts`).
 */
export interface Escalation {
  at: string;
  reason: string;
  blockers: string[];
}

/**
 * A quality gate passed or failed on the session's work (seed 001: stream level after a dependency group,
 * system level at the end), recorded by `gate`. `group`: the dependency group (1-based) for a stream gate,
 * null for a system gate. `reviewer`: who judged (agent or person). `notes`: the findings, or null.
 */
export interface GateRecord {
  level: 'stream' | 'system';
  group: number | null;
  reviewer: string | null;
  verdict: 'pass' | 'fail';
  notes: string | null;
  at: string;
}

/**
 * The git context of a session (seed 003): recorded at `activate` in a git repository. `branch`: the branch
 * (null when detached); `base`: HEAD at activate; `head`: the last HEAD the helper saw (at each claim and at
 * resume). `resume` compares them with the repository now and says what changed.
 */
export interface GitContext {
  branch: string | null;
  base: string;
  head: string;
}

/**
 * A whole session.
 * - `version`: {@link STATE_VERSION}. `id`: session id (safe as a file name). `title`: from the plan.
 * - `status`: {@link SessionStatus}; `status_reason`: reason given with pause/stop/block, or null.
 * - `revision`: starts at 1 at `init`; +1 on every change; equals the `seq` of the last event in the log.
 * - `agents`: agents available (plan's `agents`, changed by `adjust --agents N`). `strategy`: from the plan.
 * - `parallelism`: how many agents the strategy uses — the scheduler's `agentsUsed` for the remaining tickets
 *   (`sequential` 1, `maximum` every agent, `balanced` the fewest whose estimated makespan stays within 10 % of
 *   using every agent). Computed at `init`, `activate` and `adjust`, never on `claim`. Absent in state files
 *   written before the field existed: read the claim limit through `parallelismLimit`
 *   (`src/runtime/parallelism-limit.ts`), which falls back to `agents`.
 * - `plan_file`: path of the plan as given to `init` (informational).
 * - `created_at` (init), `started_at` (first activate), `updated_at` (last change), `completed_at` (final).
 * - `tickets`: in plan order. `blockers`: every blocker ever recorded. `escalation`: the last one or null.
 * - `git`: see {@link GitContext}; absent outside git or before `activate`.
 * - `gates`: every stream and system gate recorded by `gate` ({@link GateRecord}), oldest first; absent
 *   until the first.
 * - `settings`: see {@link SessionSettings}; absent in files written before it existed (read it through
 *   `settingsOf` in `settings.ts`, which fills in the defaults).
 */
export interface SessionState {
  version: number;
  id: string;
  title: string;
  status: SessionStatus;
  status_reason: string | null;
  revision: number;
  agents: number;
  strategy: Strategy;
  parallelism?: number;
  plan_file: string | null;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  completed_at: string | null;
  tickets: TicketState[];
  blockers: Blocker[];
  escalation: Escalation | null;
  settings?: SessionSettings;
  gates?: GateRecord[];
  git?: GitContext;
}

/**
 * One line of `.orchestration/logs/<id>.jsonl`.
 * - `seq`: the session revision this event produced (strictly increasing, no gaps).
 * - `time`: ISO time. `agent`: who did it, or null. `verb`: `init`, `claim`, `complete`, `expire`, ….
 * - `ticket`: ticket id or null. `before` / `after`: the ticket status (or session status when `ticket`
 *   is null) before and after. `data`: verb-specific details (reason, evidence, …).
 */
export interface StateEvent {
  seq: number;
  time: string;
  agent: string | null;
  verb: string;
  ticket: string | null;
  before: string | null;
  after: string | null;
  data?: Record<string, unknown>;
}
