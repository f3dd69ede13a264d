import { statSync } from 'node:fs';
import { sleepSync } from '../../util/sleep.ts';

/**
 * Waiting for a session to change without taking its lock: every change replaces the state file atomically
 * (temp + rename, `session-file.ts`), so a new inode, size or mtime means a new revision. Polls `stat` only
 * (no read, no parse, no lock), so many waiting processes cost almost nothing and never queue on the lock.
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

/**
 * Blocks until one of `files` changes (replaced, resized, touched, created, removed) or the time reaches
 * `untilMs` (epoch ms), whichever comes first. Returns true when one changed. `clock` gives the current epoch
 * ms.
 */
export function waitForChange(files: readonly string[], untilMs: number, clock: () => number = Date.now): boolean {
  const start = files.map(signature).join('|');
  for (;;) {
    const left = untilMs - clock();
    if (left <= 0) return false;
    sleepSync(Math.min(WATCH_POLL_MS, left));
    if (files.map(signature).join('|') !== start) return true;
  }
}
