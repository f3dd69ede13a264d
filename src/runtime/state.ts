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
 * - `failed`, `stopped`: final.
 */
export type SessionStatus = 'planned' | 'coordinating' | 'paused' | 'blocked' | 'completed' | 'failed' | 'stopped';

/** The allowed session transitions (see {@link SessionStatus}). */
export const SESSION_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  planned: ['coordinating', 'stopped'],
  coordinating: ['paused', 'blocked', 'completed', 'failed', 'stopped'],
  paused: ['coordinating', 'stopped'],
  blocked: ['coordinating', 'paused', 'completed', 'stopped', 'failed'],
  completed: ['coordinating'],
  failed: [],
  stopped: [],
};

/** Session statuses that count as "active" for the `--id`-less lookup and `sessions`. */
export const ACTIVE_SESSION_STATUSES: readonly SessionStatus[] = ['planned', 'coordinating', 'paused', 'blocked'];

/**
 * Ticket lifecycle:
 * - `pending`: not started (claimable once every dependency is `completed`, no running ticket shares a file,
 *   and the session is `coordinating` or `planned`).
 * - `claimed`: an agent took it (`claim`); it holds a lease until `lease_expires_at`.
 * - `in_progress`: the agent reported work (`heartbeat`); still leased.
 * - `completed`: done, with evidence. Final unless rolled back.
 * - `failed`: the agent gave up (`fail`); `fail --retry` puts it back to `pending` instead.
 * - `blocked`: an agent or the coordinator blocked it (`block`), with `blocked_reason`; `unblock` → `pending`
 *   (or back to `claimed` when an agent still holds a live lease).
 * A `claimed`/`in_progress` ticket whose lease expired is claimable again (the expiry is logged).
 */
export type TicketStatus = 'pending' | 'claimed' | 'in_progress' | 'completed' | 'failed' | 'blocked';

/** Ticket statuses that mean "an agent is working on it" (hold files, count as running). */
export const RUNNING_TICKET_STATUSES: readonly TicketStatus[] = ['claimed', 'in_progress'];

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
}

/**
 * One ticket in a session: the plan's fields (copied at `init`, so the session file is self-contained)
 * followed by the runtime fields.
 * - `agent_type`: the plan ticket's `agent` (the subagent type meant to do it), or null.
 * - `agent`: the agent NAME that holds or last held the ticket (`claim --agent NAME`), or null.
 * - `claimed_at`, `lease_expires_at`, `heartbeat_at`: times of the current claim; null when not claimed.
 * - `started_at`: first claim; `completed_at`: when it became `completed` (or failed).
 * - `progress`: 0–100 as last reported by `heartbeat --progress` (100 when completed).
 * - `note`: last `heartbeat --note`. `attempts`: number of claims so far.
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
  checkpoint: string | null;
  blocked_reason: string | null;
  failure_reason: string | null;
  summary: string | null;
  evidence: TicketEvidence | null;
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
