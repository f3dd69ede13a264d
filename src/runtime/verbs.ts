import { childProcess } from './lazy-node.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { commitFiles, git, isAncestor, readBranch, readHead, resolveCommit } from './git.ts';
import { progressOf } from './progress.ts';
import { autoComplete, transition } from './session.ts';
import type { Blocker, SessionState, StateEvent, TicketEvidence, TicketState } from './state.ts';
import { loadSession, storeNow, transact, type Store } from './store/store.ts';
import { untilSettled, untilTicket } from './store/watch.ts';
import { parallelismOf } from './parallelism-limit.ts';
import { satisfiedRequirements } from './cross-session.ts';
import { describeDrift, findLogDrift, repairLog, type LogDrift } from './reconcile.ts';
import { blockTicket, claimNext, completeTicket, previewClaim, resolveBlocker, expireLeases, failTicket, heartbeat, isRunning, releaseRunning, unblockTicket, findTicket, type ClaimResult, type HeartbeatInput } from './tickets.ts';
import { relativeInside } from '../util/safe-path.ts';
import { fileBackendOf, FULL_PATH } from './store/file-store.ts';
import { DamagedCache } from './store/claim-index.ts';
import { chooseIndexed, claimIndexed, completeIndexed } from './indexed-claim.ts';

/**
 * The helper's verbs as plain functions over a {@link Store} and a session id (the CLI, `src/cli/orchestrate.ts`
 * and its verbs in `src/cli/orchestrate/`, parses flags, resolves the session and prints). Every changing verb
 * is one store transaction; a refused change throws ToolError and leaves the state file unchanged.
 */

/**
 * `activate`: planned → coordinating, records the git context in a git repository (`git`: branch, base
 * commit), then recomputes the strategy's agent count (`parallelism`, see
 * `parallelism.ts`; one `parallelism` event when it changed).
 * @throws ToolError `InvalidTransition` when the session is not `planned`; `InvalidPlan` when its tickets
 *   cannot be scheduled (hand-edited cycle). State unchanged then.
 */
export async function activate(store: Store, id: string, agent: string | null): Promise<SessionState> {
  const { refreshParallelism } = await import('./parallelism.ts');
  const head = readHead(store.cwd, store.env);
  const branch = readBranch(store.cwd, store.env);
  return transact(store, id, (d, tx) => {
    if (d.status !== 'planned') throw new ToolError('InvalidTransition', `Session \`${d.id}\` is \`${d.status}\`; \`activate\` needs \`planned\` (use \`resume\` for a paused or blocked session)`);
    if (head) d.git = { branch, base: head, head };
    transition(d, tx, 'coordinating', 'activate', agent, null);
    refreshParallelism(d, tx, 'activate');
    return d;
  });
}

/** `pause`: coordinating | blocked → paused. Running tickets keep their leases (agents finish their current work). */
export async function pause(store: Store, id: string, reason: string | null): Promise<SessionState> {
  return transact(store, id, (d, tx) => {
    transition(d, tx, 'paused', 'pause', null, reason);
    return d;
  });
}

/** `stop`: any non-final status → stopped (final). */
export async function stop(store: Store, id: string, reason: string | null): Promise<SessionState> {
  return transact(store, id, (d, tx) => {
    transition(d, tx, 'stopped', 'stop', null, reason);
    return d;
  });
}

/** Options of {@link resume}. */
export interface ResumeOptions {
  /** Reason recorded with the status change, or null. */
  reason: string | null;
  /** Re-offer every running ticket now, whatever its lease (`resume --release`: no agent is alive). */
  release: boolean;
}

/** What `resume` found and did. */
export interface ResumeResult {
  state: SessionState;
  /** Without `release`: tickets whose lease had expired (orphaned by a dead or slow agent), offered again as `pending`. */
  reoffered: string[];
  /** With `release`: every ticket that was running, offered again whatever its lease (one `release` event each). */
  released: string[];
  /** What differed between the state and the event log; each difference was repaired (see `reconcile.ts`). */
  drift: LogDrift;
  /** {@link drift} as one line per difference (empty when the log agreed). */
  mismatches: string[];
  /** What changed in git since the session last saw the repository, one line each (empty: nothing). */
  git: string[];
}

/**
 * What changed in git since the session's {@link GitContext} was saved: another branch, HEAD rewound or moved
 * to unrelated history (not a descendant of the last HEAD seen), with what it means for running tickets.
 */
function gitChanges(ctx: import('./state.ts').GitContext, branch: string | null, head: string | null, running: string[], descends: boolean): string[] {
  const out: string[] = [];
  const work = running.length ? `running tickets (${running.join(', ')}) may have committed to the old one; check their commits before they complete` : 'no ticket is running';
  if (branch !== ctx.branch) out.push(`branch changed: ${ctx.branch ?? '(detached)'} → ${branch ?? '(detached)'}; ${work}`);
  if (head === null) out.push('not in a git repository any more: evidence cannot be verified');
  else if (head !== ctx.head && !descends) out.push(`HEAD ${head.slice(0, 12)} does not descend from ${ctx.head.slice(0, 12)} (the last HEAD seen): history was rewound or replaced; completed tickets' commits may be gone — check with \`git log\`${running.length ? `; ${work}` : ''}`);
  return out;
}

/**
 * `resume`: paused | blocked → coordinating (a coordinating session stays so: resume then only reconciles).
 * Inside the lock it compares the state with the event log and repairs the log — the state file is the truth
 * (it may carry hand edits): one `reconcile` event per ticket whose status differs from its last logged
 * `after`, and one session `reconcile` event recording lost seqs and the uncommitted events this write cuts
 * off (`reconcile.ts`), so a second `resume` finds nothing. It compares git with the session's context (another
 * branch, HEAD not descending from the last HEAD seen: see `gitChanges`), records the new HEAD (`git` event)
 * and reports what changed. Then it re-offers running tickets: those whose
 * lease expired (`expire` events), or with `release` every running ticket (`release` events).
 * @throws ToolError `InvalidTransition` when the session is `planned` or final (state and log unchanged).
 */
export async function resume(store: Store, id: string, options: ResumeOptions): Promise<ResumeResult> {
  const head = readHead(store.cwd, store.env);
  const branch = readBranch(store.cwd, store.env);
  const saved = (await loadSession(store, id)).state.git;
  const descends = saved !== undefined && head !== null && head !== saved.head && isAncestor(store.cwd, saved.head, head);
  return transact(store, id, (d, tx) => {
    if (d.status !== 'paused' && d.status !== 'blocked' && d.status !== 'coordinating') {
      throw new ToolError('InvalidTransition', `Session \`${d.id}\` is \`${d.status}\`; \`resume\` needs \`paused\`, \`blocked\` or \`coordinating\`${d.status === 'planned' ? ' (run `activate`)' : ''}`);
    }
    const logged = tx.logged();
    const drift = logged ? findLogDrift(d, logged) : { tickets: [], lost: [], uncommitted: 0 };
    repairLog(d, tx, drift);
    if (d.status !== 'coordinating') transition(d, tx, 'coordinating', 'resume', null, options.reason);
    const changes = d.git ? gitChanges(d.git, branch, head, d.tickets.filter(isRunning).map((t) => t.id), descends) : [];
    if (d.git && head && (changes.length > 0 || head !== d.git.head)) {
      tx.emit({ agent: null, verb: 'git', ticket: null, before: d.git.head, after: head, data: { branch_before: d.git.branch, branch, changes } });
      d.git = { ...d.git, branch, head };
    }
    const released = options.release ? releaseRunning(d, tx) : [];
    const reoffered = options.release ? [] : expireLeases(d, tx);
    return { state: d, reoffered, released, drift, mismatches: describeDrift(drift), git: changes };
  });
}

/**
 * `adjust --agents N`: sets the agents available (1–1000) and recomputes the strategy's agent count
 * (`parallelism`) for the remaining tickets — also when N is unchanged, so `adjust` with the same N repairs a
 * missing or stale count. Events: `adjust` when N changed, `parallelism` when the count changed; none when
 * neither did (nothing written).
 * @throws ToolError `InvalidTransition` when the session is final; `InvalidPlan` when its tickets cannot be
 *   scheduled. State unchanged then.
 */
export async function adjust(store: Store, id: string, agents: number): Promise<SessionState> {
  const { refreshParallelism } = await import('./parallelism.ts');
  return transact(store, id, (d, tx) => {
    if (['completed', 'failed', 'stopped'].includes(d.status)) throw new ToolError('InvalidTransition', `Session \`${d.id}\` is \`${d.status}\`; it cannot be adjusted`);
    const before = d.agents;
    if (before !== agents) {
      d.agents = agents;
      tx.emit({ agent: null, verb: 'adjust', ticket: null, before: String(before), after: String(agents), data: { agents } });
    }
    refreshParallelism(d, tx, 'adjust');
    return d;
  });
}

/**
 * `claim --agent NAME [--lease D] [--wait S]`: see {@link claimNext}. Records git HEAD (of `cwd`'s worktree) as
 * checkpoint. With `waitMs` > 0, when no ticket is ready it waits up to that long for one (`untilTicket`: the
 * state file is watched, the lock is not taken meanwhile).
 */
export async function claim(store: Store, id: string, agent: string, leaseMs: number, waitMs = 0): Promise<ClaimResult> {
  return untilTicket(store, id, waitMs, () => claimOnce(store, id, agent, leaseMs));
}

/** One claim attempt (see {@link claim}). */
async function claimOnce(store: Store, id: string, agent: string, leaseMs: number): Promise<ClaimResult> {
  const fast = await claimThroughIndex(store, id, agent, leaseMs);
  if (fast) return fast;
  // Optimistic look without the lock (the state file is replaced atomically, so this is some committed
  // revision): when nothing is claimable and no lease needs expiring, answer at once — polling agents then
  // never queue on the lock. Otherwise decide again inside the lock.
  const state = (await loadSession(store, id)).state;
  const satisfied = await satisfiedRequirements(store, state);
  const peek = previewClaim(state, storeNow(store), agent, satisfied);
  if (!peek.changes) return { ticket: null, code: peek.code, ...(peek.reason !== undefined ? { reason: peek.reason } : {}) };
  const checkpoint = readHead(store.cwd, store.env);
  return transact(store, id, (d, tx) => claimNext(d, tx, agent, leaseMs, checkpoint, peek, satisfied));
}

/**
 * A claim decided from the file store's claim index (`indexed-claim.ts`): the look without the lock, then the
 * same choice again inside it, writing only the session fields and the claimed ticket. Null when the index
 * cannot settle it (another store, no usable cache, a lease to expire, cross-session requirements, nothing
 * ready): the caller takes the full path.
 */
async function claimThroughIndex(store: Store, id: string, agent: string, leaseMs: number): Promise<ClaimResult | null> {
  const files = fileBackendOf(store);
  const seen = files?.readIndexed(id, true);
  if (!files || !seen) return null;
  const peek = unlessDamaged(() => chooseIndexed(seen.head, seen.index, seen.order, storeNow(store), agent));
  if (peek === null) return null;
  if ('answer' in peek) return peek.answer;
  const checkpoint = readHead(store.cwd, store.env);
  const r = await files.transactIndexed(id, (d, tx) => claimIndexed(d, tx, agent, leaseMs, checkpoint));
  return r === FULL_PATH ? null : r;
}

/** `f()`, or null when the claim index turns out to be damaged (the caller then reads the full state). */
function unlessDamaged<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof DamagedCache) return null;
    throw e;
  }
}

/** `heartbeat`: extends the lease of the agent's ticket, records progress and note. */
export async function beat(store: Store, id: string, input: HeartbeatInput): Promise<TicketState> {
  return transact(store, id, (d, tx) => heartbeat(d, tx, input));
}

/** Input of {@link complete}: what the agent reports. `commits` as given (resolved to full SHAs in git). */
export interface CompleteArgs {
  ticket: string;
  agent: string;
  summary: string;
  commits: string[];
  files: string[];
  testCmd: string | null;
  testExit: number | null;
  verify: boolean;
}

/** What `complete` wrote: the ticket, and the session it belongs to as committed (its status, completed and total ticket counts). */
export interface CompleteResult {
  ticket: TicketState;
  session: { id: string; status: SessionState['status']; completed: number; total: number };
}

/**
 * `complete`: records evidence and the ticket's result (`completed`, or `review` under comprehensive
 * validation). Commits are resolved to full SHAs when in git (an unknown commit is refused); outside git they are
 * recorded as given and must be SHAs (4–64 hex digits). Verification —
 * with `verify`, and always under the session's `strict` / `comprehensive` validation — happens before the
 * lock: at least one commit, every commit exists, every listed file is changed by one of the commits, every
 * file the commits change is among the ticket's declared `files` (when it declares any; the others are
 * named), and the test command (run with `sh -c` in the cwd) exits 0 — otherwise ToolError
 * `InvalidArguments` and nothing changes. Returns the ticket and the session as written.
 */
export async function complete(store: Store, id: string, input: CompleteArgs): Promise<CompleteResult> {
  const a = { ...input, files: evidenceFiles(input.files) };
  const commits: string[] = [];
  // The session fields and the ticket's files, from the claim index when the file store has one (no full read).
  const files = fileBackendOf(store);
  const seen = files?.readIndexed(id, true) ?? null;
  const before = seen ? null : (await loadSession(store, id)).state;
  const { settingsOf } = await import('./settings.ts');
  const level = settingsOf(seen?.head ?? before!).validation;
  const verify = a.verify || level !== 'standard';
  const inGit = readHead(store.cwd, store.env) !== null;
  if (verify && !inGit) throw new ToolError('InvalidArguments', `${a.verify ? '`--verify`' : `Validation \`${level}\``} needs a git repository with commits`);
  for (const c of a.commits) {
    if (!inGit) {
      // nothing to resolve it against: it is recorded as given, so it must at least be a SHA
      if (!/^[0-9a-f]{4,64}$/i.test(c)) throw new ToolError('InvalidArguments', `Commit \`${c}\` is not a SHA (4 to 64 hex digits), and there is no git repository here to resolve it`, { hint: 'Pass the SHA of the commit that holds the work (`git rev-parse HEAD` where it was made). State file unchanged.' });
      commits.push(c);
      continue;
    }
    const full = resolveCommit(store.cwd, c);
    if (full === null) {
      throw new ToolError('InvalidArguments', `Commit \`${c}\` does not exist in this repository`, { hint: 'Pass the SHA of the commit that holds the work (`git rev-parse HEAD`). State file unchanged.' });
    }
    commits.push(full ?? c);
  }
  let verified = false;
  if (verify) {
    const why = a.verify ? '`--verify`' : `validation \`${level}\``;
    if (commits.length === 0) throw new ToolError('InvalidArguments', `${why} needs \`--commit SHA\``, { hint: 'Commit the ticket\'s files and pass the SHA. State file unchanged.' });
    const changed = new Set(commits.flatMap((c) => commitFiles(store.cwd, c)));
    const missing = a.files.filter((f) => !changed.has(f.replace(/^\.\//, '')));
    if (missing.length > 0) throw new ToolError('InvalidArguments', `Files not changed by commit ${commits.map((c) => c.slice(0, 12)).join(', ')}: ${missing.map((f) => `\`${f}\``).join(', ')}`, { hint: 'Commit the files, or list only files the commit changed. State file unchanged.' });
    const indexed = seen && unlessDamaged(() => {
      const at = seen.index.indexOf(a.ticket);
      return at === -1 ? [] : [...seen.index.files(at)];
    });
    const declared = (indexed ?? ((before ?? (await loadSession(store, id)).state).tickets.find((t) => t.id === a.ticket)?.files ?? [])).map((f) => f.replace(/^\.\//, ''));
    const outside = declared.length === 0 ? [] : [...changed].filter((f) => !declared.includes(f)).sort();
    if (outside.length > 0) {
      throw new ToolError('InvalidArguments', `Commit ${commits.map((c) => c.slice(0, 12)).join(', ')} changes files outside ticket \`${a.ticket}\`'s declared files: ${outside.map((f) => `\`${f}\``).join(', ')}`, { hint: `Declared: ${declared.map((f) => `\`${f}\``).join(', ')}. Move the other changes to their own ticket (or block this one). State file unchanged.` });
    }
    if (a.testCmd) {
      const r = childProcess().spawnSync('sh', ['-c', a.testCmd], { cwd: store.cwd, stdio: 'ignore', timeout: 30 * 60_000 });
      if (r.status !== 0) throw new ToolError('InvalidArguments', `Test command \`${a.testCmd}\` exited ${r.status ?? r.signal} when run again; ticket not completed`, { hint: 'Fix the tests, or report `fail`. State file unchanged.' });
    }
    verified = true;
  }
  const evidence: TicketEvidence = { commits, files: a.files, test_cmd: a.testCmd, test_exit: a.testExit, verified };
  const completion = { ticket: a.ticket, agent: a.agent, summary: a.summary, evidence };
  if (files && seen) {
    const r = await files.transactIndexed(id, (d, tx) => {
      const c = completeIndexed(d, tx, completion);
      return c && { ticket: c.ticket, session: { id: d.head.id, status: d.head.status, completed: c.completed, total: c.total } };
    });
    if (r !== FULL_PATH) return r;
  }
  return transact(store, id, (d, tx) => {
    const ticket = completeTicket(d, tx, completion);
    return { ticket, session: { id: d.id, status: d.status, completed: d.tickets.filter((t) => t.status === 'completed').length, total: d.tickets.length } };
  });
}

/**
 * The evidence files as stored: each normalised (`./a.ts` → `a.ts`) and inside the repository (src/util/safe-path.ts
 * `relativeInside`). @throws ToolError `InvalidArguments` naming a path that is absolute or leaves the repository.
 */
function evidenceFiles(files: readonly string[]): string[] {
  return files.map((f) => {
    const n = relativeInside(f);
    if (n === null) throw new ToolError('InvalidArguments', `Evidence file \`${f}\` is outside the repository, expected a path relative to the repository root such as \`src/a.ts\``, { hint: 'List the files the ticket changed, as `git status` shows them. State file unchanged.' });
    return n;
  });
}

/** `fail [--retry]`. */
export async function fail(store: Store, id: string, input: { ticket: string; agent: string; reason: string; retry: boolean }): Promise<TicketState> {
  return transact(store, id, (d, tx) => failTicket(d, tx, input));
}

/** `retry TICKET [--attempts N]`: see `gates.ts` {@link retryTicket}. */
export async function retry(store: Store, id: string, input: { ticket: string; agent: string | null; grant: number }): Promise<TicketState> {
  const { retryTicket } = await import('./gates.ts');
  return transact(store, id, (d, tx) => retryTicket(d, tx, { ...input, auto: false }));
}

/** `approve TICKET`: see `gates.ts`. Returns the ticket and the session as written. */
export async function approve(store: Store, id: string, input: { ticket: string; agent: string | null; note: string | null }): Promise<{ ticket: TicketState; session: SessionState }> {
  const { approveTicket } = await import('./gates.ts');
  return transact(store, id, (d, tx) => ({ ticket: approveTicket(d, tx, input), session: d }));
}

/** `reject TICKET --reason R`: see `gates.ts`. */
export async function reject(store: Store, id: string, input: { ticket: string; agent: string | null; reason: string }): Promise<TicketState> {
  const { rejectTicket } = await import('./gates.ts');
  return transact(store, id, (d, tx) => rejectTicket(d, tx, input));
}

/** `gate`: records a stream or system gate (see `gates.ts` {@link recordGate}). */
export async function gate(store: Store, id: string, input: import('./gates.ts').GateInput): Promise<import('./state.ts').GateRecord> {
  const { recordGate } = await import('./gates.ts');
  const { buildGraph } = await import('./scheduler/graph.ts');
  const { levelIndices } = await import('./scheduler/levels.ts');
  const { schedulableTickets } = await import('./scheduler/from-state.ts');
  return transact(store, id, (d, tx) => recordGate(d, tx, input, levelIndices(buildGraph(schedulableTickets(d))).length));
}

/** Input of {@link next}: see `dispatch/next.ts`. `waitMs`: block up to this long while there is only `wait`. */
export interface NextArgs {
  returned: string[];
  leaseMs: number;
  waitMs: number;
}

/**
 * `next [--returned W ...] [--wait SECONDS]`: the dispatcher's decision for session `id` (see
 * `dispatch/next.ts`), as one transaction. Subagent types are resolved against the repository's, the pack's
 * and the user's agents. With `waitMs` > 0, while the only action is `wait`, it blocks — watching the state
 * file without the lock (`store/watch.ts`) — until the session changes (an agent completes, fails, blocks;
 * a heartbeat wakes it too, and it goes back to waiting when nothing is to be done) or the first running lease
 * lapses, then decides again; after `waitMs` it prints the `wait`. So a coordinator waits inside one tool call
 * and stays in its turn, where its command's `allowed-tools` apply (docs/e2e.md: notification turns are not
 * pre-approved).
 */
export async function next(store: Store, id: string, a: NextArgs): Promise<import('./dispatch/next.ts').NextResult> {
  const { dispatch } = await import('./dispatch/next.ts');
  const { agentCatalog, packRoot } = await import('./dispatch/agent-types.ts');
  const agents = agentCatalog(store.root, packRoot(store.env), store.env.HOME);
  let returned = a.returned;
  const once = async () => {
    const checkpoint = readHead(store.cwd, store.env);
    const satisfied = await satisfiedRequirements(store, (await loadSession(store, id)).state);
    const r = await transact(store, id, (d, tx) => dispatch(d, tx, { returned, leaseMs: a.leaseMs, checkpoint, agents, satisfied }));
    returned = []; // reported once
    return r;
  };
  return untilSettled(store, id, a.waitMs, once, (r) => r.actions.length !== 1 || r.actions[0]!.do !== 'wait');
}

/** `block`. */
export async function block(store: Store, id: string, input: { ticket: string; agent: string | null; reason: string }): Promise<Blocker> {
  return transact(store, id, (d, tx) => blockTicket(d, tx, input));
}

/** `unblock`. */
export async function unblock(store: Store, id: string, input: { ticket: string; resolution: string | null; agent: string | null }): Promise<TicketState> {
  return transact(store, id, (d, tx) => unblockTicket(d, tx, input));
}

/** `unblock --blocker B`: see {@link resolveBlocker}. */
export async function resolve(store: Store, id: string, input: { blocker: string; resolution: string | null; agent: string | null }): Promise<Blocker> {
  return transact(store, id, (d, tx) => resolveBlocker(d, tx, input));
}

/** One agent as `agents` reports it (derived from the tickets). */
export interface AgentInfo {
  agent: string;
  status: 'working' | 'idle';
  tickets: string[];
  completed: number;
  failed: number;
  last_heartbeat: string | null;
  lease_expires_at: string | null;
  lease_expired: boolean;
  /** The machine the agent last claimed from (the claim event's `data.host`), or null before any claim recorded one. */
  host: string | null;
}

/** Agent → the host of its last claim, from the claim events of `events` (oldest first). */
export function claimHosts(events: readonly StateEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) if (e.verb === 'claim' && e.agent && typeof e.data?.host === 'string') out.set(e.agent, e.data.host);
  return out;
}

/** `agents [--agent NAME]`: per-agent status derived from ticket holders, sorted by name; `hosts` from {@link claimHosts}. */
export function agentsOf(state: SessionState, nowMs: number, only?: string, hosts: ReadonlyMap<string, string> = new Map()): AgentInfo[] {
  const map = new Map<string, AgentInfo>();
  for (const t of state.tickets) {
    if (!t.agent) continue;
    let a = map.get(t.agent);
    if (!a) {
      a = { agent: t.agent, status: 'idle', tickets: [], completed: 0, failed: 0, last_heartbeat: null, lease_expires_at: null, lease_expired: false, host: hosts.get(t.agent) ?? null };
      map.set(t.agent, a);
    }
    if (isRunning(t)) {
      a.status = 'working';
      a.tickets.push(t.id);
      if (t.lease_expires_at && (a.lease_expires_at === null || t.lease_expires_at < a.lease_expires_at)) a.lease_expires_at = t.lease_expires_at;
      if (t.lease_expires_at && Date.parse(t.lease_expires_at) <= nowMs) a.lease_expired = true;
    }
    if (t.status === 'completed') a.completed += 1;
    if (t.status === 'failed') a.failed += 1;
    const hb = t.heartbeat_at ?? t.completed_at;
    if (hb && (a.last_heartbeat === null || hb > a.last_heartbeat)) a.last_heartbeat = hb;
  }
  const list = [...map.values()].sort((x, y) => (x.agent < y.agent ? -1 : x.agent > y.agent ? 1 : 0));
  return only ? list.filter((a) => a.agent === only) : list;
}

/** One line of `sessions`. */
export interface SessionSummary {
  id: string;
  title: string;
  status: string;
  percentage: number;
  tickets: number;
  updated_at: string;
  current: boolean;
  error?: string;
}

/** `sessions`: every session in the store, sorted by id. Unreadable files are listed with their error. */
export async function listSessions(store: Store, ids: string[], current: string | null): Promise<SessionSummary[]> {
  return Promise.all(ids.map(async (id) => {
    try {
      const s = (await loadSession(store, id)).state;
      return { id, title: s.title, status: s.status, percentage: progressOf(s).percentage, tickets: s.tickets.length, updated_at: s.updated_at, current: id === current };
    } catch (e) {
      return { id, title: '', status: 'unreadable', percentage: 0, tickets: 0, updated_at: '', current: id === current, error: e instanceof Error ? e.message : String(e) };
    }
  }));
}

/**
 * The tickets that depend on `ticketId` (directly or through others) and are completed or running, in plan
 * order: reverting `ticketId` under them would pull work they built on.
 */
function dependantsAtWork(state: SessionState, ticketId: string): TicketState[] {
  const dependants = new Map<string, string[]>();
  for (const t of state.tickets) for (const d of t.dependencies) dependants.set(d, [...(dependants.get(d) ?? []), t.id]);
  const reached = new Set<string>();
  const stack = [ticketId];
  while (stack.length > 0) {
    for (const next of dependants.get(stack.pop()!) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        stack.push(next);
      }
    }
  }
  return state.tickets.filter((t) => reached.has(t.id) && (t.status === 'completed' || isRunning(t)));
}

/** What `rollback` did. */
export interface RollbackResult {
  ticket: string;
  reverted: string[];
  head: string | null;
}

/**
 * `rollback --ticket T`: `git revert --no-edit` of exactly the commits recorded in T's evidence (newest first),
 * never a reset. Refused (ToolError `InvalidTransition`, nothing changed) when T is not completed, has no
 * recorded commits, a ticket depending on T (directly or not) is completed or running (roll those back first),
 * or the worktree has uncommitted changes in the files those commits touched. If a revert
 * conflicts it is aborted (`git revert --abort`) and the error names the commit. Afterwards T is `pending`
 * again (its evidence kept in the log), and a completed session re-opens (`coordinating`).
 */
export async function rollback(store: Store, id: string, ticketId: string): Promise<RollbackResult> {
  const state = (await loadSession(store, id)).state;
  const t = findTicket(state, ticketId);
  if (t.status !== 'completed') throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` is \`${t.status}\`; only a completed ticket can be rolled back`);
  const builtOn = dependantsAtWork(state, t.id);
  if (builtOn.length > 0) {
    throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` has dependants that built on it: ${builtOn.map((d) => `\`${d.id}\` (${d.status})`).join(', ')}`, {
      hint: `Roll back the completed ones first (${builtOn.filter((d) => d.status === 'completed').map((d) => d.id).reverse().join(', ') || 'none'}), and let the running ones finish or fail. Nothing was reverted; state file unchanged.`,
    });
  }
  const commits = t.evidence?.commits ?? [];
  if (commits.length === 0) throw new ToolError('InvalidTransition', `Ticket \`${t.id}\` has no recorded commits to revert (it was completed without \`--commit\`)`);
  if (readHead(store.cwd, store.env) === null) throw new ToolError('InvalidArguments', 'Not in a git repository with commits; nothing to revert');
  for (const c of commits) if (resolveCommit(store.cwd, c) === null) throw new ToolError('InvalidTransition', `Recorded commit \`${c}\` of \`${t.id}\` is not in this repository`);
  const files = [...new Set(commits.flatMap((c) => commitFiles(store.cwd, c)))];
  if (files.length > 0) {
    const top = git(store.cwd, ['rev-parse', '--show-toplevel']).stdout.trim();
    const dirty = git(top || store.cwd, ['status', '--porcelain', '--', ...files.map((f) => `:(top,literal)${f}`)]);
    if (dirty.stdout.trim() !== '') {
      throw new ToolError('InvalidTransition', `Uncommitted changes in files of \`${t.id}\`'s commits:\n${dirty.stdout.trimEnd()}`, { hint: 'Commit or stash those changes yourself, then run rollback again. Nothing was reverted; state file unchanged.' });
    }
  }
  const reverted: string[] = [];
  for (const c of [...commits].reverse()) {
    const r = git(store.cwd, ['revert', '--no-edit', c]);
    if (r.code !== 0) {
      git(store.cwd, ['revert', '--abort']);
      throw new ToolError('InvalidTransition', `\`git revert ${c.slice(0, 12)}\` failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}${reverted.length ? ` (already reverted: ${reverted.map((x) => x.slice(0, 12)).join(', ')})` : ''}`, { hint: 'Resolve the conflict by hand. State file unchanged.' });
    }
    reverted.push(c);
  }
  const head = readHead(store.cwd, store.env);
  await transact(store, id, (d, tx) => {
    const dt = findTicket(d, ticketId);
    if (d.status === 'completed') transition(d, tx, 'coordinating', 'reopen', null, `rollback of ${ticketId}`);
    dt.status = 'pending';
    dt.progress = 0;
    dt.completed_at = null;
    dt.summary = null;
    dt.evidence = null;
    tx.emit({ agent: null, verb: 'rollback', ticket: ticketId, before: 'completed', after: 'pending', data: { reverted, head } });
    autoComplete(d, tx, null);
  });
  return { ticket: ticketId, reverted, head };
}
