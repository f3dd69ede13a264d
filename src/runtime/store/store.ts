import path from 'node:path';
import { ToolError } from '../../diagnostics/errors.ts';
import { isSafeId } from '../../definitions/plan-id.ts';
import { ACTIVE_SESSION_STATUSES, type SessionState, type StateEvent } from '../state.ts';
import type { Change, NewEvent } from './change.ts';
import { stateRoot } from './paths.ts';
import { openBackend } from './select.ts';

export type { Change, NewEvent, TxContext } from './change.ts';

/**
 * The state store, as the runtime sees it: every verb, view and report reads and writes sessions through the
 * functions below, whatever keeps them. Two backends implement {@link StoreBackend}:
 * - the file store (`file-store.ts`, the default): `.orchestration/` of the main worktree, YAML + JSONL, one
 *   lock file per session;
 * - the PostgreSQL store (`pg/pg-store.ts`), for agents on several machines: one row per session locked
 *   `FOR UPDATE` per change, events in the same transaction, the database's clock.
 * Which one a call uses: `select.ts` (`--store`, then `ORCHESTRATE_DATABASE_URL`, then `store:` in
 * `.orchestration/config.yaml`, else files). Every change is one transaction: lock → read → apply the change
 * to the session as read → append one event per change (seq = the new revision) → write → unlock; a change
 * that throws writes nothing.
 */

/** A session as read: its state (backends may keep more, such as the file's bytes). */
export interface Loaded {
  state: SessionState;
}

/** What keeps the sessions. Every method may throw ToolError `StoreUnavailable` (nothing changed) besides its own. */
export interface StoreBackend {
  /** `file` or `postgres`. */
  readonly kind: 'file' | 'postgres';
  /** Where the state is, for messages and the `init` / `import-state` output: `.orchestration` or `postgres://user@host:port/db (schema s)`. */
  readonly location: string;
  /** Reads session `id` without locking. @throws ToolError `SessionNotFound`, `InvalidState`. */
  load(id: string): Promise<Loaded>;
  /** True when session `id` exists. */
  exists(id: string): Promise<boolean>;
  /**
   * The status of session `id`, read as cheaply as the backend can (the file store reads the session fields
   * only); absent: from {@link StoreBackend.load}. @throws ToolError `SessionNotFound`, `InvalidState`.
   */
  status?(id: string): Promise<SessionState['status']>;
  /**
   * Creates session `state` with its log `events` (seq 1…revision: the first event only for a new session, the
   * whole log for an imported one). @throws ToolError `InvalidArguments` when the id exists.
   */
  create(state: SessionState, events: readonly StateEvent[]): Promise<void>;
  /** Runs `change` in one transaction (see {@link transact}). */
  transact<T>(id: string, change: Change<T>): Promise<T>;
  /** The committed events of session `id` (seq ≤ `revision`), oldest first. */
  events(id: string, revision: number): Promise<StateEvent[]>;
  /** Every session id, sorted. */
  list(): Promise<string[]>;
  /** The `current` session pointer, or null. */
  current(): Promise<string | null>;
  /** Points `current` at `id`. */
  setCurrent(id: string): Promise<void>;
  /** A string that changes whenever one of the sessions `ids` changes; read without any lock (`watch.ts`). */
  signature(ids: readonly string[]): Promise<string>;
  /** The store's clock now, in ms since the epoch (`ORCHESTRATE_NOW` overrides it in tests). */
  clockMs(): number;
  /** Releases connections; the store must not be used afterwards. */
  close(): Promise<void>;
}

/** An opened store: the working directory, the environment, and the backend that keeps the sessions. */
export interface Store {
  cwd: string;
  env: Record<string, string | undefined>;
  /** The state root: the main worktree (or cwd outside git); `.orchestration/` lives here for the file store. */
  root: string;
  /**
   * Sessions read or written in this invocation, by id (the last version seen). What is stored here is
   * shared: callers must not change it.
   */
  seen: Map<string, Loaded>;
  /**
   * Where a caller that has waited 2 s for the lock says so, once (one line, no newline); the CLI passes a
   * writer to stderr when stderr is a TTY. Absent: silent.
   */
  notice?: (line: string) => void;
  /** `p` relative to the cwd when below it, for messages. */
  display(p: string): string;
  backend: StoreBackend;
}

/**
 * Opens the store for `cwd`; creates nothing and connects to nothing until first used. `spec`: the `--store`
 * flag (`file` or a `postgres://` URL), else chosen as `select.ts` says. `notice`: see {@link Store.notice}.
 * @throws ToolError `InvalidArguments` for a `--store` or `store:` value that is neither.
 */
export function openStore(cwd: string, env: Record<string, string | undefined> = {}, notice?: (line: string) => void, spec?: string): Store {
  const root = stateRoot(cwd, env);
  const store = {
    cwd,
    env,
    root,
    seen: new Map(),
    ...(notice ? { notice } : {}),
    display(p: string) {
      const rel = path.relative(cwd, p);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
    },
  } as Omit<Store, 'backend'> as Store;
  store.backend = openBackend(store, spec);
  return store;
}

/** Releases the store's connections (a no-op for files). */
export function closeStore(store: Store): Promise<void> {
  return store.backend.close();
}

/** Throws ToolError `InvalidArguments` when `id` is not a safe session id. */
export function checkSessionId(id: string): void {
  if (!isSafeId(id)) {
    throw new ToolError('InvalidArguments', `Invalid session id \`${id}\`, expected 1-64 letters, digits, \`.\`, \`_\` or \`-\` (no \`..\`)`);
  }
}

/** The ms clock, overridable for tests with `ORCHESTRATE_NOW` (ISO time or ms) so leases can be tested. */
export function nowMs(env: Record<string, string | undefined>): number {
  return overrideNow(env) ?? Date.now();
}

/** `ORCHESTRATE_NOW` as epoch ms, or null when unset or unreadable. */
export function overrideNow(env: Record<string, string | undefined>): number | null {
  const v = env.ORCHESTRATE_NOW;
  if (v) {
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (Number.isFinite(n)) return n;
  }
  return null;
}

/** The store's clock now (epoch ms): what views judge leases and stalls by, the same clock transactions use. */
export function storeNow(store: Store): number {
  return store.backend.clockMs();
}

/**
 * Reads a session without locking (see {@link Store.seen}: the result is shared, do not change it; change
 * state through {@link transact}). @throws ToolError `SessionNotFound`, `InvalidState`, `StoreUnavailable`.
 */
export async function loadSession(store: Store, id: string): Promise<Loaded> {
  checkSessionId(id);
  const loaded = await store.backend.load(id);
  store.seen.set(id, loaded);
  return loaded;
}

/**
 * Creates a new session and its log (first event `init`, seq = the state's revision) and points `current` at it.
 * @throws ToolError `InvalidArguments` when a session with this id exists.
 */
export async function createSession(store: Store, state: SessionState, event: NewEvent): Promise<void> {
  checkSessionId(state.id);
  await store.backend.create(state, [{ seq: state.revision, time: state.created_at, ...event }]);
  await store.backend.setCurrent(state.id);
}

/**
 * Runs `change` on session `id` inside one transaction and commits it when it recorded events; returns what
 * `change` returns. If `change` throws, nothing is written (state unchanged). A `stopped` session is final: a
 * change that would record an event on it is refused (reads through here still work).
 * @throws ToolError `LockTimeout` (exit 2), `SessionNotFound`, `InvalidState`, `StoreUnavailable`, or what
 *   `change` throws.
 */
export function transact<T>(store: Store, id: string, change: Change<T>): Promise<T> {
  checkSessionId(id);
  return store.backend.transact(id, change);
}

/** Points `current` at session `id`. */
export function setCurrent(store: Store, id: string): Promise<void> {
  return store.backend.setCurrent(id);
}

/** The `current` session id, or null. */
export function readCurrent(store: Store): Promise<string | null> {
  return store.backend.current();
}

/**
 * The committed events of session `id` (those at or below its state's revision), read without the lock.
 * @throws ToolError `SessionNotFound`, `InvalidState`, `UnsafePath`.
 */
export async function readCommittedEvents(store: Store, id: string): Promise<StateEvent[]> {
  const { state } = await loadSession(store, id);
  return store.backend.events(id, state.revision);
}

/** Every session id, sorted. */
export function listSessionIds(store: Store): Promise<string[]> {
  return store.backend.list();
}

/** The status of session `id` (see {@link StoreBackend.status}). @throws ToolError `SessionNotFound`, `InvalidState`. */
export async function sessionStatus(store: Store, id: string): Promise<SessionState['status']> {
  checkSessionId(id);
  return store.backend.status ? store.backend.status(id) : (await loadSession(store, id)).state.status;
}

/**
 * The session a verb acts on: `explicit` when given; else the `current` session if it is active; else the one
 * active session. @throws ToolError `SessionNotFound` when there is none, or several (listing them).
 */
export async function resolveSessionId(store: Store, explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) {
    checkSessionId(explicit);
    if (!(await store.backend.exists(explicit))) throw new ToolError('SessionNotFound', `No session \`${explicit}\``);
    return explicit;
  }
  const current = await readCurrent(store);
  const currentExists = current !== null && (await store.backend.exists(current));
  if (current && currentExists) {
    try {
      if (ACTIVE_SESSION_STATUSES.includes(await sessionStatus(store, current))) return current;
    } catch {
      return current; // let the verb report the broken session
    }
  }
  const active: string[] = [];
  for (const id of await listSessionIds(store)) {
    try {
      if (ACTIVE_SESSION_STATUSES.includes(await sessionStatus(store, id))) active.push(id);
    } catch {
      /* a broken session is not active */
    }
  }
  if (active.length === 1) return active[0]!;
  if (active.length === 0) {
    if (current && currentExists) return current;
    throw new ToolError('SessionNotFound', 'No active session', { hint: 'Run `orchestrate init PLAN.yaml` first, or pass --id.' });
  }
  throw new ToolError('SessionNotFound', `${active.length} active sessions (${active.join(', ')}); pass --id to choose one`);
}
