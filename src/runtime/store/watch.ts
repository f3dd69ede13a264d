import { statSync } from 'node:fs';
import type { SessionState } from '../state.ts';
import { storeNow, type Store } from './store.ts';

/**
 * Waiting for a session to change without taking its lock. The file store replaces the state file atomically
 * on every change (temp + rename, `session-file.ts`), so a new inode, size or mtime means a new revision: it
 * polls `stat` only (no read, no parse, no lock). The PostgreSQL store reads the sessions' revisions (no row
 * lock). Either way many waiting processes cost almost nothing and never queue on the lock.
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
 * Waits until one of the sessions `ids` changes (for files: replaced, resized, touched, created, removed) or
 * the local time reaches `untilMs` (epoch ms), whichever comes first. Returns true when one changed. `since`:
 * the backend's signature to compare with — taken before the caller last read the sessions, so a change made
 * between that read and this call is not missed.
 */
export async function waitForChange(store: Store, ids: readonly string[], untilMs: number, since: string): Promise<boolean> {
  for (;;) {
    if ((await store.backend.signature(ids)) !== since) return true;
    const left = untilMs - Date.now();
    if (left <= 0) return false;
    await new Promise((r) => setTimeout(r, Math.min(WATCH_POLL_MS, left)));
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

/** Session `id` and the sessions its tickets `require` (`SESSION:TICKET`). */
function watchedSessions(id: string, state: SessionState | undefined): string[] {
  return [...new Set([id, ...requiredSessions(state)])];
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
  let ids = [id];
  for (;;) {
    const since = await store.backend.signature(ids);
    const r = await attempt();
    if (settled(r) || Date.now() >= until) return r;
    const state = store.seen.get(id)?.state;
    const now = watchedSessions(id, state);
    if (now.length !== ids.length) {
      ids = now; // a required session to watch too: start from its present version
      continue;
    }
    // the next lease end is on the store's clock; the wait runs on this machine's
    const lease = nextLeaseEnd(state) + 1 - storeNow(store) + Date.now();
    await waitForChange(store, ids, Math.min(until, Math.max(Date.now() + WATCH_POLL_MS, lease)), since);
  }
}

/**
 * {@link untilSettled} for one claim: until it returns a ticket or an answer after which waiting is pointless
 * (all done, session final).
 */
export async function untilTicket<T extends { ticket: unknown; code: string }>(store: Store, id: string, waitMs: number, attempt: () => Promise<T>): Promise<T> {
  return untilSettled(store, id, waitMs, attempt, (r) => Boolean(r.ticket) || FINAL_CODES.includes(r.code));
}
