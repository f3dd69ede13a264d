import { statSync } from 'node:fs';
import { sleepSync } from '../../util/sleep.ts';
import type { SessionState } from '../state.ts';
import type { Store } from './store.ts';

/**
 * Waiting for a session to change without taking its lock: every change replaces the state file atomically
 * (temp + rename, `session-file.ts`), so a new inode, size or mtime means a new revision. Polls `stat` only
 * (no read, no parse, no lock), so many waiting processes cost almost nothing and never queue on the lock.
 * Used by `next --wait` and `claim --wait` ({@link untilTicket}).
 */

/** Poll interval while waiting, in ms. */
export const WATCH_POLL_MS = 200;

function signature(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return 'missing';
  }
}

/** What identifies the versions of `files` on disk now (inode, size, mtime in ns of each; `missing` for none). */
export function filesSignature(files: readonly string[]): string {
  return files.map(signature).join('|');
}

/**
 * Blocks until one of `files` changes (replaced, resized, touched, created, removed) or the time reaches
 * `untilMs` (epoch ms), whichever comes first. Returns true when one changed. `clock` gives the current epoch
 * ms. `since`: the {@link filesSignature} to compare with — taken before the caller last read the files, so a
 * change made between that read and this call is not missed; by default the files as they are now.
 */
export function waitForChange(files: readonly string[], untilMs: number, clock: () => number = Date.now, since: string = filesSignature(files)): boolean {
  for (;;) {
    if (filesSignature(files) !== since) return true;
    const left = untilMs - clock();
    if (left <= 0) return false;
    sleepSync(Math.min(WATCH_POLL_MS, left));
  }
}

/** The earliest lease end (ms since the epoch) among the running tickets of `state`, or Infinity. */
export function nextLeaseEnd(state: SessionState | undefined): number {
  let min = Number.POSITIVE_INFINITY;
  for (const t of state?.tickets ?? []) {
    if ((t.status === 'claimed' || t.status === 'in_progress') && t.lease_expires_at) {
      const ms = Date.parse(t.lease_expires_at);
      if (ms < min) min = ms;
    }
  }
  return min;
}

/** The sessions the tickets of `state` require (`SESSION:TICKET` → `SESSION`), each once. */
export function requiredSessions(state: SessionState | undefined): string[] {
  const ids = new Set<string>();
  for (const t of state?.tickets ?? []) for (const r of t.requires ?? []) ids.add(r.slice(0, r.indexOf(':')));
  return [...ids];
}

/** The state files of session `id` and of the sessions its tickets `require` (`SESSION:TICKET`). */
function watchedFiles(store: Store, id: string, state: SessionState | undefined): string[] {
  return [...new Set([id, ...requiredSessions(state)])].map((s) => store.paths.session(s));
}

/** Ticket answer codes after which waiting is pointless: every ticket is done, or the session is final. */
const FINAL_CODES: readonly string[] = ['done', 'completed', 'failed', 'stopped'];

/**
 * Runs `attempt` until `settled` accepts its answer or `waitMs` has passed; between attempts it waits for the
 * state file of `id` (or of a session its tickets require) to change, or the next lease to lapse
 * ({@link waitForChange}) — no lock is taken and nothing is read meanwhile. The files' signature is taken
 * before each attempt, so a change made while the attempt runs is not missed. `waitMs` 0: one attempt.
 * Returns the last answer. Used by `claim --wait` ({@link untilTicket}) and `next --wait`.
 */
export async function untilSettled<T>(store: Store, id: string, waitMs: number, attempt: () => Promise<T>, settled: (answer: T) => boolean): Promise<T> {
  const until = Date.now() + waitMs;
  let files = [store.paths.session(id)];
  for (;;) {
    const since = filesSignature(files);
    const r = await attempt();
    if (settled(r) || Date.now() >= until) return r;
    const state = store.seen.get(id)?.state;
    const now = watchedFiles(store, id, state);
    if (now.length !== files.length) {
      files = now; // a required session to watch too: start from its present version
      continue;
    }
    const lease = nextLeaseEnd(state) + 1;
    waitForChange(files, Math.min(until, Math.max(Date.now() + WATCH_POLL_MS, lease)), Date.now, since);
  }
}

/**
 * {@link untilSettled} for one claim: until it returns a ticket or an answer after which waiting is pointless
 * (all done, session final).
 */
export async function untilTicket<T extends { ticket: unknown; code: string }>(store: Store, id: string, waitMs: number, attempt: () => Promise<T>): Promise<T> {
  return untilSettled(store, id, waitMs, attempt, (r) => Boolean(r.ticket) || FINAL_CODES.includes(r.code));
}
