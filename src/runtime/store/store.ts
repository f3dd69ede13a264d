import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../../diagnostics/errors.ts';
import { isSafeId } from '../../definitions/plan-id.ts';
import { ACTIVE_SESSION_STATUSES, type SessionState, type StateEvent } from '../state.ts';
import { appendEvents } from './event-log.ts';
import { acquireLock, lockOptionsFromEnv, sweepDeadFiles } from './lock.ts';
import { stateRoot, statePaths, type StatePaths } from './paths.ts';
import { readSession, testPause, writeSession, type LoadedSession } from './session-file.ts';

/**
 * The state store: every change to a session is one transaction —
 * take the session's lock → re-read the state file → apply the change to a copy → append one event per change
 * to the log (seq = the new revision) → write the state (temp + fsync + rename) → release the lock.
 * Readers that only look (status, events) read without the lock: the state file is replaced atomically.
 */

/** An opened store: the state paths for a working directory, and the environment (lock options, hooks). */
export interface Store {
  paths: StatePaths;
  cwd: string;
  env: Record<string, string | undefined>;
  /**
   * Sessions read without the lock by {@link loadSession} in this invocation, by id: read again, an unchanged
   * file is not parsed twice (resolving the session, then looking, then acting read it up to three times;
   * {@link transact} takes the entry over). What `loadSession` returns is shared: callers must not change it.
   */
  seen: Map<string, LoadedSession>;
  /** `p` relative to the cwd when below it, for messages. */
  display(p: string): string;
}

/** An event as produced by a change (seq and time are filled in by the transaction). */
export type NewEvent = Omit<StateEvent, 'seq' | 'time'>;

/** What a change function gets besides the draft: the transaction time and a way to record events. */
export interface TxContext {
  /** The transaction's time (ISO). */
  readonly now: string;
  /** The time in ms since the epoch. */
  readonly nowMs: number;
  /** Records one event; each event is one revision. A change that records no event writes nothing. */
  emit(event: NewEvent): void;
}

/** Opens the store for `cwd` (state root per {@link stateRoot}); creates nothing. */
export function openStore(cwd: string, env: Record<string, string | undefined> = {}): Store {
  const paths = statePaths(stateRoot(cwd, env));
  return {
    paths,
    cwd,
    env,
    seen: new Map(),
    display(p) {
      const rel = path.relative(cwd, p);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
    },
  };
}

/** Throws ToolError `InvalidArguments` when `id` is not a safe session id. */
export function checkSessionId(id: string): void {
  if (!isSafeId(id)) {
    throw new ToolError('InvalidArguments', `Invalid session id \`${id}\`, expected 1-64 letters, digits, \`.\`, \`_\` or \`-\` (no \`..\`)`);
  }
}

/** The ms clock, overridable for tests with `ORCHESTRATE_NOW` (ISO time or ms) so leases can be tested. */
export function nowMs(env: Record<string, string | undefined>): number {
  const v = env.ORCHESTRATE_NOW;
  if (v) {
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (Number.isFinite(n)) return n;
  }
  return Date.now();
}

/**
 * Reads a session without locking; an unchanged file read before in this invocation is not parsed again
 * ({@link Store.seen}). The result is shared: do not change it (copy it, or change state through
 * {@link transact}). @throws ToolError `SessionNotFound`, `InvalidState`.
 */
export async function loadSession(store: Store, id: string): Promise<LoadedSession> {
  checkSessionId(id);
  const file = store.paths.session(id);
  const loaded = await readSession(file, store.paths.cache(id), store.display(file), store.seen.get(id));
  store.seen.set(id, loaded);
  return loaded;
}

/**
 * Creates a new session file and its log (first event `init`, seq 1) and points `current` at it.
 * @throws ToolError `InvalidArguments` when a session with this id exists.
 */
export async function createSession(store: Store, state: SessionState, event: NewEvent): Promise<void> {
  checkSessionId(state.id);
  const { paths } = store;
  for (const d of [paths.sessionsDir, paths.logsDir, paths.cacheDir]) mkdirSync(d, { recursive: true });
  const lock = acquireLock(paths.lock(state.id), lockOptionsFromEnv(store.env));
  try {
    if (existsSync(paths.session(state.id))) {
      throw new ToolError('InvalidArguments', `Session \`${state.id}\` already exists`, { hint: 'Pass another --id, or leave --id out to get a fresh one.' });
    }
    appendEvents(paths.log(state.id), [{ seq: state.revision, time: state.created_at, ...event }], 0);
    await writeSession(paths.session(state.id), paths.cache(state.id), store.display(paths.session(state.id)), null, state);
  } finally {
    lock.release();
  }
  setCurrent(store, state.id);
}

/**
 * Runs `change` on a copy of session `id` inside the lock and commits it when it recorded events.
 * Returns what `change` returns. If `change` throws, nothing is written (state unchanged). A `stopped`
 * session is final: a change that would record an event on it is refused (reads through here still work).
 * @throws ToolError `LockTimeout` (exit 2), `SessionNotFound`, `InvalidState`, or what `change` throws.
 */
export async function transact<T>(store: Store, id: string, change: (draft: SessionState, tx: TxContext) => T): Promise<T> {
  checkSessionId(id);
  const { paths } = store;
  const lock = acquireLock(paths.lock(id), lockOptionsFromEnv(store.env));
  try {
    const file = paths.session(id);
    sweepDeadFiles(paths.sessionsDir, [`.${id}.yaml`, `${id}.lock`, `${id}.lock.reclaim`]);
    sweepDeadFiles(paths.cacheDir, [`.${id}.state`]);
    // A session read before the lock (resolving it, looking at it) is taken over when the file is unchanged:
    // no second parse. It leaves `seen`, since the change below may alter it.
    const known = store.seen.get(id);
    store.seen.delete(id);
    const prev = await readSession(file, paths.cache(id), store.display(file), known);
    // A plain file is re-emitted whole: the draft may be the parsed state itself. Hand-edited files are
    // diffed against the state as read, so they need a copy.
    const draft = prev.plain ? prev.state : (JSON.parse(JSON.stringify(prev.state)) as SessionState);
    const revisionBefore = prev.state.revision;
    const statusBefore = prev.state.status;
    const ms = nowMs(store.env);
    const now = new Date(ms).toISOString();
    const events: StateEvent[] = [];
    let revision = revisionBefore;
    const tx: TxContext = {
      now,
      nowMs: ms,
      emit(e) {
        revision += 1;
        events.push({ seq: revision, time: now, agent: e.agent, verb: e.verb, ticket: e.ticket, before: e.before, after: e.after, ...(e.data ? { data: e.data } : {}) });
      },
    };
    const result = change(draft, tx);
    if (events.length === 0) return result;
    if (statusBefore === 'stopped') {
      throw new ToolError('InvalidTransition', `Session \`${id}\` is stopped (final); \`${events[0]!.verb}\` was refused`, { hint: 'Start a new session with `init`. State file unchanged.' });
    }
    draft.revision = revision;
    draft.updated_at = now;
    testPause('locked', store.env);
    if (!lock.stillHeld()) throw new ToolError('LockTimeout', `Lost the state lock \`${lock.path}\` before writing (another process judged it stale)`);
    appendEvents(paths.log(id), events, revisionBefore);
    await writeSession(file, paths.cache(id), store.display(file), prev, draft);
    return result;
  } finally {
    lock.release();
  }
}

/** Points `.orchestration/current` at session `id` (atomic rename). */
export function setCurrent(store: Store, id: string): void {
  const tmp = `${store.paths.currentFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${id}\n`);
  renameSync(tmp, store.paths.currentFile);
}

/** The id in `.orchestration/current`, or null. */
export function readCurrent(store: Store): string | null {
  try {
    const id = readFileSync(store.paths.currentFile, 'utf8').trim();
    return id && isSafeId(id) ? id : null;
  } catch {
    return null;
  }
}

/** Every session id with a state file, sorted. */
export function listSessionIds(store: Store): string[] {
  try {
    return readdirSync(store.paths.sessionsDir)
      .filter((f) => f.endsWith('.yaml') && !f.startsWith('.'))
      .map((f) => f.slice(0, -5))
      .filter(isSafeId)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The session a verb acts on: `explicit` when given; else the `current` session if it is active; else the one
 * active session. @throws ToolError `SessionNotFound` when there is none, or several (listing them).
 */
export async function resolveSessionId(store: Store, explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) {
    checkSessionId(explicit);
    if (!existsSync(store.paths.session(explicit))) throw new ToolError('SessionNotFound', `No session \`${explicit}\``);
    return explicit;
  }
  const current = readCurrent(store);
  if (current && existsSync(store.paths.session(current))) {
    try {
      if (ACTIVE_SESSION_STATUSES.includes((await loadSession(store, current)).state.status)) return current;
    } catch {
      return current; // let the verb report the broken file
    }
  }
  const active: string[] = [];
  for (const id of listSessionIds(store)) {
    try {
      if (ACTIVE_SESSION_STATUSES.includes((await loadSession(store, id)).state.status)) active.push(id);
    } catch {
      /* a broken file is not active */
    }
  }
  if (active.length === 1) return active[0]!;
  if (active.length === 0) {
    if (current && existsSync(store.paths.session(current))) return current;
    throw new ToolError('SessionNotFound', 'No active session', { hint: 'Run `orchestrate init PLAN.yaml` first, or pass --id.' });
  }
  throw new ToolError('SessionNotFound', `${active.length} active sessions (${active.join(', ')}); pass --id to choose one`);
}
