import { closeSync, linkSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { sleepSync } from './sleep.ts';
import { randomHex } from './unique.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { joinQueue, leaveQueue, placesAhead, queueDir, queueIsEmpty, touchPlace } from './lock-queue.ts';
import { readNoFollow } from './safe-path.ts';
import { envNumber } from './env-number.ts';

/**
 * A cross-process lock file (not proper-lockfile: CONVENTIONS.md explains its stale-reclaim race).
 *
 * - Acquire: write the owner record `{pid, host, token, time}` to a private temp file, then `link()` it to the
 *   lock path. `link` is atomic and fails with EEXIST when the lock exists, so the lock file never appears
 *   half-written.
 * - Stale: the owner is on this host and its pid is dead; or it is on another host (its pid cannot be checked)
 *   and the record is older than `staleMs`; or it is alive on this host but has held the lock longer than
 *   `liveStaleMs` (hung: no transaction takes minutes). A live holder is never preempted sooner, so a slow
 *   writer (loaded machine, slow disk) cannot lose its update to a reclaimer.
 * - Temp and aside files carry the creating pid in their names (`<lock>.<pid>.<random>.tmp|.stale`), so one
 *   left by a process killed between two steps can be removed once that pid is gone ({@link sweepDeadFiles}).
 * - Reclaim: only through a second, short-lived "reclaim gate" (`<lock>.reclaim`, taken the same way). Inside
 *   the gate the reclaimer re-reads the lock: if it is still the very record it judged stale (same token) it
 *   renames it to a private name, verifies the token once more, and deletes it. The stale lock's owner is
 *   dead, so nobody but a gated reclaimer removes it: of two processes reclaiming at once exactly one removes
 *   it, and the other then competes normally for the fresh lock. A gate whose owner died is itself reclaimed
 *   by rename-then-verify (restoring a live gate it displaced by mistake).
 * - Wait in line: a caller that finds the lock taken (or others waiting) lines up (`lock-queue.ts`); only the
 *   first in line re-reads the lock (no file is created) with exponential back-off and jitter (1 ms doubling
 *   to 20 ms) and creates it once it is gone, so waiters are served in arrival order; the others look at the
 *   line less often the further back they are ({@link linePace}); after `timeoutMs`,
 *   ToolError `LockTimeout` (exit 2).
 * - Release: only when the lock file still carries our token.
 */

/** Options of {@link acquireLock}. Times in milliseconds. */
export interface LockOptions {
  /** Give up after this long (default 30,000 ms; env `ORCHESTRATE_LOCK_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** A lock of another host older than this is stale (default 10,000 ms; env `ORCHESTRATE_LOCK_STALE_MS`). */
  staleMs?: number;
  /** A lock held this long by a live process of this host is stale (default 300,000 ms; env `ORCHESTRATE_LOCK_LIVE_STALE_MS`). */
  liveStaleMs?: number;
}

/** The record stored in a lock file. `time` is ms since the epoch. */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  time: number;
}

/** A held lock: call `release()` exactly once (idempotent). `stillHeld()` re-reads the file (a cheap check before committing). */
export interface LockHandle {
  readonly path: string;
  readonly token: string;
  stillHeld(): boolean;
  release(): void;
}

const HOST = hostname();

/**
 * Reads and parses a lock record; null when absent; `'garbled'` when unreadable as a record. A lock file that
 * is a symbolic link is not followed: ToolError `UnsafePath`.
 */
export function readLockOwner(path: string): LockOwner | null | 'garbled' {
  let text: string;
  try {
    text = readNoFollow(path, { maxBytes: 64 * 1024 }).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (e instanceof ToolError && e.code === 'FileTooLarge') return 'garbled';
    throw e;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    if (typeof o.pid === 'number' && typeof o.token === 'string' && typeof o.time === 'number' && typeof o.host === 'string') return o;
  } catch {
    /* fall through */
  }
  return 'garbled';
}

/** True when process `pid` exists on this machine (EPERM counts as alive). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the lock record is stale: a dead owner on this host; an owner on another host older than
 * `staleMs`; a live owner on this host older than `liveStaleMs` (all in ms).
 */
export function isStale(owner: LockOwner, staleMs: number, liveStaleMs: number, now = Date.now()): boolean {
  if (owner.host !== HOST) return now - owner.time > staleMs;
  if (owner.pid !== process.pid && !pidAlive(owner.pid)) return true;
  return now - owner.time > liveStaleMs;
}

/** Tries once to create the lock file at `path` with a fresh record; returns the record or null on EEXIST. */
function tryCreate(path: string): LockOwner | null {
  const owner: LockOwner = { pid: process.pid, host: HOST, token: randomHex(16), time: Date.now() };
  const tmp = `${path}.${process.pid}.${owner.token}.tmp`;
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, JSON.stringify(owner));
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true }); // a full disk must not leave an empty temp file behind
    throw e;
  }
  closeSync(fd);
  try {
    linkSync(tmp, path);
    return owner;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Removes the stale lock at `path` if it still carries `token`, by rename to a private name and verification.
 * If the renamed file turns out to be a different (live) record, it is put back with `link` (never overwriting).
 * Returns true when the stale record was removed by this call.
 */
function removeIfToken(path: string, token: string): boolean {
  const aside = `${path}.${process.pid}.${randomHex(12)}.stale`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const moved = readLockOwner(aside);
  if (moved !== null && moved !== 'garbled' && moved.token !== token) {
    try {
      linkSync(aside, path); // put the live record back; fails only if someone created a new one meanwhile
    } catch {
      /* a newer lock exists; the displaced owner notices through stillHeld() */
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

/** An ms option from the environment (1 ms to 1 day), `dflt` when unset. @throws ToolError `InvalidEnvironment`. */
export function envMs(env: Record<string, string | undefined>, name: string, dflt: number): number {
  return envNumber(env, name, dflt, { min: 1, max: 86_400_000, unit: 'ms' });
}

/** Resolves lock options from explicit values, then env, then defaults. */
export function lockOptionsFromEnv(env: Record<string, string | undefined>): Required<LockOptions> {
  return {
    timeoutMs: envMs(env, 'ORCHESTRATE_LOCK_TIMEOUT_MS', 30_000),
    staleMs: envMs(env, 'ORCHESTRATE_LOCK_STALE_MS', 10_000),
    liveStaleMs: envMs(env, 'ORCHESTRATE_LOCK_LIVE_STALE_MS', 300_000),
  };
}

/**
 * Takes the lock at `path` (its folder must exist). When nobody waits, it tries at once; otherwise, or when
 * the lock is taken, it lines up (`lock-queue.ts`) and tries only once first in line, so waiters are served
 * in arrival order. `onWait`, when given, is called once with one line after `noticeMs` of waiting.
 * @throws ToolError `LockTimeout` (exit 2) after `timeoutMs`; fs errors other than EEXIST/ENOENT as they are.
 */
export function acquireLock(path: string, options: LockOptions & { onWait?: (line: string) => void; noticeMs?: number } = {}): LockHandle {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 10_000;
  const liveStaleMs = options.liveStaleMs ?? 300_000;
  const start = Date.now();
  const deadline = start + timeoutMs;
  const line = queueDir(path);
  if (queueIsEmpty(line)) {
    const mine = tryCreate(path);
    if (mine) return handle(path, mine.token);
  }
  let place = joinQueue(line);
  try {
    let delay = 1;
    let garbledSince = 0;
    let owner: LockOwner | 'garbled' | null = null;
    let noticed = options.onWait === undefined;
    let ahead = -1;
    const pace = linePace();
    for (;;) {
      // once first, always first (newcomers line up behind): the line need not be read again
      if (ahead !== 0) ahead = placesAhead(place, staleMs);
      if (ahead === -1) {
        place = joinQueue(line); // judged dead while stopped: line up again
        ahead = placesAhead(place, staleMs);
      }
      if (ahead === 0) {
        // First in line: wait by reading the lock (cheap) rather than by re-creating it; create it once gone.
        owner = readLockOwner(path);
        if (owner === null) {
          const mine = tryCreate(path);
          if (mine) return handle(path, mine.token);
          continue;
        }
        if (owner === 'garbled') {
          // Not written by us (we link complete files); treat as stale after staleMs of seeing it.
          garbledSince ||= Date.now();
          if (Date.now() - garbledSince > staleMs) {
            reclaimGarbled(path);
            continue;
          }
        } else if (isStale(owner, staleMs, liveStaleMs)) {
          reclaim(path, owner.token);
          continue;
        }
      }
      const now = Date.now();
      if (now >= deadline) {
        const who = owner && owner !== 'garbled' ? ` (held by pid ${owner.pid} on ${owner.host} since ${new Date(owner.time).toISOString()})` : '';
        throw new ToolError('LockTimeout', `Could not take the state lock \`${path}\` within ${timeoutMs} ms${who}${ahead > 0 ? `; ${ahead} waiting ahead` : ''}`);
      }
      if (!noticed && now - start >= (options.noticeMs ?? 2000)) {
        noticed = true;
        const who = owner && owner !== 'garbled' ? `, held by pid ${owner.pid}` : '';
        options.onWait!(`waiting for the state lock (${ahead === 0 ? 'next in line' : `${ahead} ahead in line`}${who})…`);
      }
      touchPlace(place);
      if (ahead === 0) {
        sleepSync(delay / 2 + Math.random() * delay);
        delay = Math.min(delay * 2, 20);
      } else {
        sleepSync(pace.lookAfterMs(ahead, now) * (0.75 + Math.random() / 2));
      }
    }
  } finally {
    leaveQueue(place);
  }
}

/**
 * How long a waiter `ahead` places back sleeps before looking at the line again: half the time the places ahead
 * should take, from how fast the line has moved so far (ms per place, smoothed; 15 ms until it has moved; at least
 * the time since it last moved), within 5–1,000 ms. A waiter far back looks a few times while it waits rather
 * than every 250 ms: 32 waiters behind a held lock used 490–640 ms of CPU in 5 s that way (180 ms now), and a
 * waiter still looks often when its turn is near.
 */
function linePace(): { lookAfterMs(ahead: number, now: number): number } {
  let perPlace = 15;
  let lastAhead = -1;
  let lastAt = 0;
  return {
    lookAfterMs(ahead, now) {
      if (lastAhead > ahead) perPlace = 0.5 * perPlace + 0.5 * ((now - lastAt) / (lastAhead - ahead));
      if (lastAhead !== ahead) {
        lastAhead = ahead;
        lastAt = now;
      }
      // a line that has not moved for longer than the estimate moves slower than that
      return Math.max(5, Math.min(1000, (ahead * Math.max(perPlace, now - lastAt)) / 2));
    },
  };
}

/** Reclaims a stale lock with `token` through the reclaim gate (see the file comment). */
function reclaim(path: string, token: string): void {
  const gatePath = `${path}.reclaim`;
  const gate = tryCreate(gatePath);
  if (!gate) {
    const g = readLockOwner(gatePath);
    // the gate is held for microseconds: a dead owner, or one older than 2 s, is stale
    if (g !== null && (g === 'garbled' || isStale(g, 2000, 2000))) {
      if (g !== 'garbled') removeIfToken(gatePath, g.token);
    }
    return; // someone else is reclaiming; retry normally
  }
  try {
    const again = readLockOwner(path);
    if (again && again !== 'garbled' && again.token === token) removeIfToken(path, token);
  } finally {
    handle(gatePath, gate.token).release();
  }
}

/** Removes a lock file that holds no readable record (hand-made or from another tool). */
function reclaimGarbled(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* gone already */
  }
}

/** Builds the handle of a lock we hold. */
function handle(path: string, token: string): LockHandle {
  let released = false;
  return {
    path,
    token,
    stillHeld() {
      const o = readLockOwner(path);
      return o !== null && o !== 'garbled' && o.token === token;
    },
    release() {
      if (released) return;
      released = true;
      const o = readLockOwner(path);
      if (o !== null && o !== 'garbled' && o.token === token) removeIfToken(path, token);
    },
  };
}

/**
 * Removes the files in `dir` that a process killed mid-step left behind and whose pid is gone: names
 * `<base>.<pid>.<random>.tmp` or `.stale` for each base in `bases` (e.g. `.s1.yaml`, `s1.lock`,
 * `s1.lock.reclaim`). Call it while holding the session lock: no live writer of that session is mid-step then,
 * and a live process's files are never touched anyway.
 */
export function sweepDeadFiles(dir: string, bases: readonly string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.endsWith('.tmp') && !n.endsWith('.stale')) continue;
    for (const base of bases) {
      const m = n.startsWith(`${base}.`) ? /^(\d+)\.[0-9a-z]+\.(?:tmp|stale)$/.exec(n.slice(base.length + 1)) : null;
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid !== process.pid && !pidAlive(pid)) rmSync(join(dir, n), { force: true });
      break;
    }
  }
}
