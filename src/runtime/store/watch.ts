import { statSync } from 'node:fs';
import { sleepSync } from '../../util/sleep.ts';
import type { SessionState } from '../state.ts';
import type { Store } from './store.ts';

/**
 * Waiting for a session to change without taking its lock or reading it: `claim --wait` watches the state
 * file's identity (inode, size, change and modification times: every committed change renames a new file over
 * it) with a cheap `stat` every `POLL_MS`, and looks again only when it changed, or when a lease is due to
 * lapse (that makes a ticket claimable without any write).
 */

/** How often the state file is stat'ed while waiting (ms). */
const POLL_MS = 100;

/** Ticket answer codes after which waiting is pointless: every ticket is done, or the session is final. */
const FINAL_CODES: readonly string[] = ['done', 'completed', 'failed', 'stopped'];

/** What identifies one version of a file on disk ('' when it does not exist). */
export function fileStamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return '';
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

/**
 * Blocks until `file`'s stamp differs from `stamp` (returns true) or the clock passes `untilMs` (false),
 * checking every `POLL_MS`.
 */
export function waitForChange(file: string, stamp: string, untilMs: number): boolean {
  for (;;) {
    if (fileStamp(file) !== stamp) return true;
    const left = untilMs - Date.now();
    if (left <= 0) return false;
    sleepSync(Math.min(POLL_MS, left));
  }
}

/**
 * Runs `attempt` (one claim) until it returns a ticket, an answer after which waiting is pointless (all done,
 * session final), or `waitMs` has passed; between attempts it waits for the session file of `id` to change or
 * the next lease to lapse ({@link waitForChange}) — no lock is taken and nothing is read meanwhile. `waitMs` 0:
 * one attempt. Returns the last answer.
 */
export async function untilTicket<T extends { ticket: unknown; code: string }>(store: Store, id: string, waitMs: number, attempt: () => Promise<T>): Promise<T> {
  const until = Date.now() + waitMs;
  const file = store.paths.session(id);
  for (;;) {
    const stamp = fileStamp(file);
    const r = await attempt();
    if (r.ticket || FINAL_CODES.includes(r.code) || Date.now() >= until) return r;
    waitForChange(file, stamp, Math.min(until, Math.max(Date.now() + POLL_MS, nextLeaseEnd(store.seen.get(id)?.state) + 1)));
  }
}
