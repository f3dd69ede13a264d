import { existsSync, readdirSync } from 'node:fs';
import { ToolError } from '../../diagnostics/errors.ts';
import { isSafeId } from '../../definitions/plan-id.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { checkFolders, makeFolders, readNoFollow } from '../../util/safe-path.ts';
import type { SessionState, StateEvent } from '../state.ts';
import { hostName, runChange, type Change, type TxContext } from './change.ts';
import { appendEvents, committedOnly, readEvents, truncateLog } from './event-log.ts';
import { acquireLock, lockOptionsFromEnv, sweepDeadFiles } from '../../util/lock.ts';
import { carryPriorities } from './priorities.ts';
import { changedTickets, snapshotTickets } from './ticket-snapshot.ts';
import { statePaths, type StatePaths } from './paths.ts';
import { readSession, testPause, writeSession, type LoadedSession } from './session-file.ts';
import { DamagedCache, indexedDraft, readIndexed, writeSparse, type IndexedDraft, type IndexedSession } from './indexed-session.ts';
import { filesSignature } from './watch.ts';
import { nowMs, type Store, type StoreBackend } from './store.ts';

/**
 * The file store (the default backend): every change to a session is one transaction —
 * take the session's lock → re-read the state file → apply the change to a copy → append one event per change
 * to the log (seq = the new revision) → write the state (temp + fsync + rename) → release the lock.
 * Readers that only look (status, events) read without the lock: the state file is replaced atomically.
 * Paths (src/util/safe-path.ts): `.orchestration/` and its folders must be real folders inside the state root
 * (checked once per invocation, before anything there is read or written); files in them are opened with
 * `O_NOFOLLOW` or replaced by rename, so no symbolic link there is ever followed (ToolError `UnsafePath`).
 */

/** Returned by {@link FileBackend.transactIndexed} when the change must run on the full state instead. */
export const FULL_PATH = Symbol('full path');

/**
 * A change on an indexed session (`indexed-session.ts`): sets the session fields and the tickets it
 * materialises, records events like any change; returns null, having recorded nothing, when it cannot decide
 * from the index (the caller then runs the full change).
 */
export type IndexedChange<T> = (draft: IndexedDraft, tx: TxContext) => T | null;

/** The file store's backend, with its paths (for tests and file-only tools). */
export interface FileBackend extends StoreBackend {
  readonly kind: 'file';
  readonly paths: StatePaths;
  /**
   * Session `id` read through its claim index without the lock, or null when its cache cannot serve that (see
   * `readIndexed`). Shared within the call: do not change it. `reuse`: take the read that {@link status} made
   * just before in this call, once, instead of reading again (a look without the lock may see any committed
   * revision; a second look, such as `claim --wait`'s next attempt, reads again).
   * @throws ToolError `SessionNotFound`, `UnsafePath`, `FileTooLarge`.
   */
  readIndexed(id: string, reuse?: boolean): IndexedSession | null;
  /**
   * Runs `change` on session `id` read through its index inside the lock — the same transaction as
   * {@link StoreBackend.transact} (re-read inside the lock, events appended before the state is replaced, temp +
   * fsync + rename), writing only the session fields and the tickets the change materialised. Returns
   * {@link FULL_PATH}, having written nothing, when the session cannot be read through its index or the change
   * returned null. @throws as `transact`.
   */
  transactIndexed<T>(id: string, change: IndexedChange<T>): Promise<T | typeof FULL_PATH>;
}

/** What a change decided inside the lock: answer `skip` without writing, or its result, events and how to write the state. */
type Decided<T> = { skip: T } | { result: T; events: StateEvent[]; revisionBefore: number; write: () => void | Promise<void> };

/** Opens the file store of `store` (its state root); creates nothing. */
export function fileBackend(store: Omit<Store, 'backend'>): FileBackend {
  const paths = statePaths(store.root);
  const seen = store.seen as Map<string, LoadedSession>;
  const indexedSeen = new Map<string, IndexedSession>();
  const readByStatus = new Set<string>(); // sessions whose last indexed read was made by `status`, not used since
  let checked = false;
  const lockOptions = (): Parameters<typeof acquireLock>[1] => ({ ...lockOptionsFromEnv(store.env), ...(store.notice ? { onWait: store.notice } : {}) });
  /** `.orchestration/`, `sessions/`, `logs/` and `cache/` are real folders (or absent): no symbolic link. */
  const checkFoldersOnce = (): void => {
    if (checked) return;
    checkFolders(paths.root, [paths.sessionsDir, paths.logsDir, paths.cacheDir], (p) => store.display(p));
    checked = true;
  };
  /**
   * The locked section of every change of session `id`: take its lock, sweep temp files of dead writers, `decide`
   * (re-read the state inside the lock and run the change: `skip` = answer without writing), and when the change
   * recorded events: check the lock is still ours, append the events (seq = the new revision), `write` the state
   * (on failure the events are cut from the log again, so no uncommitted event stays visible); release the lock.
   * @throws ToolError `LockTimeout` when the lock cannot be taken, or was lost before writing.
   */
  const inLock = async <T>(id: string, decide: () => Decided<T> | Promise<Decided<T>>): Promise<T> => {
    checkFoldersOnce();
    readByStatus.delete(id); // after this change, a look reads again
    const lock = acquireLock(paths.lock(id), lockOptions());
    try {
      sweepDeadFiles(paths.sessionsDir, [`.${id}.yaml`, `${id}.lock`, `${id}.lock.reclaim`]);
      sweepDeadFiles(paths.cacheDir, [`.${id}.state`]);
      const d = await decide();
      if ('skip' in d) return d.skip;
      if (d.events.length === 0) return d.result;
      testPause('locked', store.env);
      if (!lock.stillHeld()) throw new ToolError('LockTimeout', `Lost the state lock \`${lock.path}\` before writing (another process judged it stale)`);
      const logLength = appendEvents(paths.log(id), d.events, d.revisionBefore, store.display);
      try {
        await d.write();
      } catch (e) {
        truncateLog(paths.log(id), logLength); // the change did not commit: its events must not stay visible
        throw e;
      }
      return d.result;
    } finally {
      lock.release();
    }
  };
  return {
    kind: 'file',
    location: store.display(paths.dir),
    paths,

    async load(id) {
      checkFoldersOnce();
      const file = paths.session(id);
      // an unchanged file read before in this invocation is not parsed again
      return readSession(file, paths.cache(id), store.display(file), seen.get(id));
    },

    readIndexed(id, reuse = false) {
      checkFoldersOnce();
      const fresh = readByStatus.delete(id);
      if (reuse && fresh && indexedSeen.has(id)) return indexedSeen.get(id)!;
      const file = paths.session(id);
      const s = readIndexed(file, paths.cache(id), store.display(file), indexedSeen.get(id));
      if (s) indexedSeen.set(id, s);
      else indexedSeen.delete(id);
      return s;
    },

    async status(id) {
      const s = this.readIndexed(id);
      if (s) readByStatus.add(id);
      return s?.head.status ?? (await this.load(id)).state.status;
    },

    async transactIndexed<T>(id: string, change: IndexedChange<T>): Promise<T | typeof FULL_PATH> {
      return inLock<T | typeof FULL_PATH>(id, () => {
        const file = paths.session(id);
        const known = indexedSeen.get(id);
        indexedSeen.delete(id);
        const prev = readIndexed(file, paths.cache(id), store.display(file), known); // re-read inside the lock
        if (!prev) return { skip: FULL_PATH };
        const draft = indexedDraft(prev);
        const revisionBefore = draft.head.revision;
        let run: ReturnType<typeof runChange<T | null>>;
        try {
          run = runChange(draft.head, nowMs(store.env), hostName(store.env), (_d, tx) => change(draft, tx), () => readEvents(paths.log(id)).events);
        } catch (e) {
          if (e instanceof DamagedCache) return { skip: FULL_PATH }; // nothing was written: the full path parses the YAML
          throw e;
        }
        const { result, events } = run;
        if (result === null) {
          if (events.length > 0) throw new Error('an indexed change recorded events and then asked for the full path');
          return { skip: FULL_PATH };
        }
        return {
          result,
          events,
          revisionBefore,
          write: () => {
            const written = writeSparse(file, paths.cache(id), prev, draft.head, draft.touched);
            seen.delete(id);
            if (written) indexedSeen.set(id, written);
          },
        };
      });
    },

    async exists(id) {
      return existsSync(paths.session(id));
    },

    async create(state, events) {
      checkFoldersOnce();
      for (const d of [paths.sessionsDir, paths.logsDir, paths.cacheDir]) makeFolders(d);
      const lock = acquireLock(paths.lock(state.id), lockOptions());
      try {
        if (existsSync(paths.session(state.id))) {
          throw new ToolError('InvalidArguments', `Session \`${state.id}\` already exists`, { hint: 'Pass another --id, or leave --id out to get a fresh one.' });
        }
        appendEvents(paths.log(state.id), events, 0, store.display);
        await writeSession(paths.session(state.id), paths.cache(state.id), store.display(paths.session(state.id)), null, state);
      } finally {
        lock.release();
      }
    },

    async transact<T>(id: string, change: Change<T>): Promise<T> {
      return inLock<T>(id, async () => {
        const file = paths.session(id);
        // A session read before the lock (resolving it, looking at it) is taken over when the file is unchanged:
        // no second parse. It leaves `seen`, since the change below may alter it.
        const known = seen.get(id);
        seen.delete(id);
        indexedSeen.delete(id);
        const prev = await readSession(file, paths.cache(id), store.display(file), known);
        // A plain file is emitted from the draft, which may be the parsed state itself: a flat snapshot of its
        // tickets tells afterwards which ones the change touched (only those are emitted again). Hand-edited
        // files are diffed against the state as read, so they need a copy.
        const snap = prev.plain && prev.spans?.yamlItems ? snapshotTickets(prev.state.tickets) : null;
        const draft = prev.plain ? prev.state : (JSON.parse(JSON.stringify(prev.state)) as SessionState);
        if (draft !== prev.state) carryPriorities(prev.state, draft);
        const { result, events } = runChange(draft, nowMs(store.env), hostName(store.env), change, () => readEvents(paths.log(id)).events);
        return {
          result,
          events,
          revisionBefore: prev.state.revision,
          write: async () => {
            const changed = snap && Array.isArray(draft.tickets) ? changedTickets(snap, draft.tickets) : null;
            // What was written is what a look later in this invocation sees: no second read or parse.
            seen.set(id, await writeSession(file, paths.cache(id), store.display(file), prev, draft, changed));
          },
        };
      });
    },

    async events(id, revision): Promise<StateEvent[]> {
      return committedOnly(readEvents(paths.log(id), store.display).events, revision);
    },

    async list() {
      try {
        return readdirSync(paths.sessionsDir)
          .filter((f) => f.endsWith('.yaml') && !f.startsWith('.'))
          .map((f) => f.slice(0, -5))
          .filter(isSafeId)
          .sort();
      } catch {
        return [];
      }
    },

    async current() {
      // a link planted at `current` is not followed
      try {
        const id = readNoFollow(paths.currentFile, { maxBytes: 1024 }).toString('utf8').trim();
        return id && isSafeId(id) ? id : null;
      } catch {
        return null;
      }
    },

    async setCurrent(id) {
      checkFoldersOnce();
      writeFileAtomic(paths.currentFile, `${id}\n`); // atomic rename: a link planted there is replaced, not followed
    },

    async signature(ids) {
      return filesSignature(ids.map((s) => paths.session(s)));
    },

    clockMs() {
      return nowMs(store.env);
    },

    async close() {},
  };
}

/** The file backend of `store`, or null when it keeps its state elsewhere. */
export function fileBackendOf(store: Store): FileBackend | null {
  return store.backend.kind === 'file' ? (store.backend as FileBackend) : null;
}
