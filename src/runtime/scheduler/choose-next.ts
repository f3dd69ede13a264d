import { bottomLevelArray } from './critical-path.ts';
import { buildGraph } from './graph.ts';
import { bestPriority } from './priority-rules.ts';
import { priorityRank, type SchedulableTicket } from './types.ts';

/**
 * A session's ticket statuses as `chooseNext` needs them (ids; sets are not modified).
 * - `completed`: done; their dependants may start.
 * - `running`: claimed or in progress; their `files` are taken.
 * - `unavailable`: never offered now (failed, blocked, cancelled…); dependants of these wait.
 * - `paused` / `stopped`: the session refuses new claims.
 */
export interface ClaimStatus {
  readonly completed: ReadonlySet<string>;
  readonly running: ReadonlySet<string>;
  readonly unavailable?: ReadonlySet<string>;
  readonly paused?: boolean;
  readonly stopped?: boolean;
}

/** Options of {@link chooseNext}. */
export interface ChooseNextOptions<T extends SchedulableTicket> {
  /**
   * Priority keys (minutes, higher first) by ticket id: {@link computeBottomLevels} (the default rule), or
   * {@link claimPriorities} to follow the rule `schedule` found best for the plan. Cache them in the
   * session to skip the O(n + e) recomputation per claim. Missing ids fall back to the ticket's estimate.
   */
  readonly priorityKeys?: Readonly<Record<string, number>>;
  /** Same as `priorityKeys` (older name). */
  readonly bottomLevels?: Readonly<Record<string, number>>;
  /** Only tickets for which this returns true are offered (e.g. matching the caller's agent type). */
  readonly accept?: (ticket: T) => boolean;
}

/** A ticket file held by a running ticket, which keeps a ready ticket from starting. */
export interface FileConflict {
  readonly ticket: string;
  readonly runningTicket: string;
  readonly file: string;
}

/**
 * The result of {@link chooseNext}: the ticket to claim, or null with a reason.
 * - `code`: `ok`; `done` (every ticket completed); `paused` / `stopped`; `running` (nothing pending, some
 *   still running); `files` (ready tickets held back by the files rule); `dependencies` (pending tickets wait
 *   on unfinished dependencies); `unavailable` (what is left is failed/blocked); `rejected` (ready tickets
 *   exist but `accept` refused them all).
 * - `reason`: one line for people and prompts, e.g. `waiting on dependencies: B (running), C (pending)`.
 * - `waitingOn`: unfinished dependency ids named in the reason; `conflicts`: file clashes found.
 */
export interface NextChoice<T extends SchedulableTicket> {
  readonly ticket: T | null;
  readonly code: 'ok' | 'done' | 'paused' | 'stopped' | 'running' | 'files' | 'dependencies' | 'unavailable' | 'rejected';
  readonly reason: string;
  readonly bottomLevel?: number;
  readonly waitingOn: string[];
  readonly conflicts: FileConflict[];
}

/**
 * Bottom levels by ticket id: the ticket's estimate plus the longest chain of estimates after it (minutes).
 * O(n + e). Compute once per session and pass as `bottomLevels` to {@link chooseNext}.
 * @throws ToolError `InvalidPlan` on duplicate ids, unknown dependencies or a cycle.
 */
export function computeBottomLevels(tickets: readonly SchedulableTicket[]): Record<string, number> {
  const graph = buildGraph(tickets);
  const bl = bottomLevelArray(graph);
  const out: Record<string, number> = {};
  for (let i = 0; i < graph.ids.length; i++) out[graph.ids[i]!] = bl[i]!;
  return out;
}

/**
 * Priority keys by ticket id following the rule {@link bestPriority} picks for `agents` agents (the
 * bottom level, or a file-aware variant when shared files make that schedule shorter), so dynamic claims
 * follow the same order as `schedule`. Up to 4 simulations: O((n + e) log n) each; compute once per
 * session (and again after `adjust --agents`), store it, pass it as `priorityKeys`.
 * @throws ToolError `InvalidPlan` on duplicate ids, unknown dependencies or a cycle.
 */
export function claimPriorities(tickets: readonly SchedulableTicket[], agents: number): Record<string, number> {
  const graph = buildGraph(tickets);
  const { rule } = bestPriority(graph, agents);
  const out: Record<string, number> = {};
  for (let i = 0; i < graph.ids.length; i++) out[graph.ids[i]!] = rule.key[i]!;
  return out;
}

const MAX_NAMED = 5;

/**
 * The best ticket to claim now, for dynamic scheduling (`orchestrate claim`). A ticket is ready when it is
 * neither completed, running nor unavailable, all of its OWN dependencies are completed (there is no
 * barrier between groups), and none of its `files` is touched by a running ticket. Among ready tickets the
 * one with the longest remaining path (bottom level) wins, then the higher priority, then the smaller id —
 * the list scheduler's order, so claims follow `schedule`'s plan when estimates hold.
 * One pass over tickets and dependency edges: O(n + e) with cached `priorityKeys`; without them the bottom
 * levels are computed first, also O(n + e).
 */
export function chooseNext<T extends SchedulableTicket>(tickets: readonly T[], status: ClaimStatus, options: ChooseNextOptions<T> = {}): NextChoice<T> {
  const none = (code: NextChoice<T>['code'], reason: string, waitingOn: string[] = [], conflicts: FileConflict[] = []): NextChoice<T> => ({
    ticket: null,
    code,
    reason,
    waitingOn,
    conflicts,
  });
  if (status.stopped) return none('stopped', 'session stopped');
  if (status.paused) return none('paused', 'session paused');
  const bl = options.priorityKeys ?? options.bottomLevels ?? computeBottomLevels(tickets);
  const unavailable = status.unavailable ?? new Set<string>();
  const fileOwner = new Map<string, string>();
  if (status.running.size > 0) {
    for (const t of tickets) {
      if (!status.running.has(t.id)) continue;
      for (const f of t.files) if (!fileOwner.has(f)) fileOwner.set(f, t.id);
    }
  }
  let best: T | null = null;
  let bestBl = 0;
  let pending = 0;
  let rejected = 0;
  let firstConflict: FileConflict | null = null;
  let conflicts: FileConflict[] = [];
  let waitingTicket: T | null = null; // best pending ticket blocked by dependencies
  let waitingBl = 0;
  for (const t of tickets) {
    if (status.completed.has(t.id) || status.running.has(t.id) || unavailable.has(t.id)) continue;
    pending++;
    const level = bl[t.id] ?? t.estimate;
    let depsDone = true;
    for (const d of t.dependencies) if (!status.completed.has(d)) {
      depsDone = false;
      break;
    }
    if (!depsDone) {
      if (waitingTicket === null || better(t, level, waitingTicket, waitingBl)) {
        waitingTicket = t;
        waitingBl = level;
      }
      continue;
    }
    let clash: FileConflict | null = null;
    for (const f of t.files) {
      const owner = fileOwner.get(f);
      if (owner !== undefined) {
        clash = { ticket: t.id, runningTicket: owner, file: f };
        break;
      }
    }
    if (clash) {
      if (conflicts.length < MAX_NAMED) conflicts.push(clash);
      if (firstConflict === null) firstConflict = clash;
      continue;
    }
    if (options.accept && !options.accept(t)) {
      rejected++;
      continue;
    }
    if (best === null || better(t, level, best, bestBl)) {
      best = t;
      bestBl = level;
    }
  }
  if (best !== null) return { ticket: best, code: 'ok', reason: 'ready', bottomLevel: bestBl, waitingOn: [], conflicts: [] };
  if (pending === 0) {
    if (status.running.size > 0) {
      const ids = [...status.running].slice(0, MAX_NAMED);
      return none('running', `no pending tickets; waiting for running ${list(ids, status.running.size)}`, ids);
    }
    if (unavailable.size > 0) {
      const ids = [...unavailable].slice(0, MAX_NAMED);
      return none('unavailable', `no claimable tickets left; failed or blocked: ${list(ids, unavailable.size)}`, ids);
    }
    return none('done', 'all tickets done');
  }
  if (rejected > 0) return none('rejected', `${rejected} ready ticket(s), none accepted for this agent`);
  if (firstConflict !== null) {
    conflicts = conflicts.slice(0, MAX_NAMED);
    return none('files', `file conflict with running ${firstConflict.runningTicket} (${firstConflict.file}) for ${firstConflict.ticket}`, [firstConflict.runningTicket], conflicts);
  }
  // Every pending ticket waits on a dependency: name the best one's unfinished dependencies.
  const w = waitingTicket!;
  const unmet = w.dependencies.filter((d) => !status.completed.has(d));
  const shown = unmet.slice(0, MAX_NAMED).map((d) => `${d} (${status.running.has(d) ? 'running' : unavailable.has(d) ? 'failed or blocked' : 'pending'})`);
  const more = unmet.length > MAX_NAMED ? `, +${unmet.length - MAX_NAMED} more` : '';
  const code = status.running.size === 0 && unmet.every((d) => unavailable.has(d)) ? 'unavailable' : 'dependencies';
  return none(code, `waiting on dependencies: ${shown.join(', ')}${more} (for ${w.id})`, unmet.slice(0, MAX_NAMED));
}

/** True when ticket a (bottom level la) goes before b (lb); see {@link compareClaim}. */
function better(a: SchedulableTicket, la: number, b: SchedulableTicket, lb: number): boolean {
  return compareClaim(a, la, b, lb) < 0;
}

/**
 * The order in which ready tickets are claimed, as a sort comparator (negative: ticket a, with bottom level `la`
 * in minutes, goes before b with `lb`): longer remaining path first, then priority (critical first), then id.
 * The stored claim order (`store/priorities.ts`) sorts by it too, so both pick the same ticket.
 */
export function compareClaim(a: Pick<SchedulableTicket, 'id' | 'priority'>, la: number, b: Pick<SchedulableTicket, 'id' | 'priority'>, lb: number): number {
  if (la !== lb) return lb - la;
  const ra = priorityRank(a.priority);
  const rb = priorityRank(b.priority);
  if (ra !== rb) return ra - rb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function list(ids: string[], total: number): string {
  return ids.join(', ') + (total > ids.length ? `, +${total - ids.length} more` : '');
}
