import { childProcess } from './lazy-node.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findGitDirs } from './store/paths.ts';

/**
 * The few git facts the helper needs. HEAD is read from the file system (no git process: `claim` records it
 * on every call); everything else runs `git` with an argument array (no shell).
 */

/** Result of a git run. `code` is null when git could not start. */
export interface GitRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `git args` in `cwd` (argument array, no shell), capturing output. */
export function git(cwd: string, args: string[]): GitRun {
  const r = childProcess().spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.error ? null : r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function read(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The commit HEAD points at in `cwd`'s worktree (40-hex), or null outside git / on an unborn branch.
 * Follows `ref:` through loose refs and `packed-refs`; falls back to `git rev-parse HEAD` if the layout is odd.
 */
export function readHead(cwd: string, env: Record<string, string | undefined> = {}): string | null {
  const dirs = findGitDirs(cwd, env);
  if (!dirs) return null;
  let head = read(path.join(dirs.gitDir, 'HEAD'))?.trim();
  for (let hops = 0; head && hops < 5; hops++) {
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const m = /^ref:\s*(\S+)$/.exec(head);
    if (!m) break;
    const ref = m[1]!;
    const loose = read(path.join(dirs.gitDir, ref)) ?? read(path.join(dirs.commonDir, ref));
    if (loose !== null) {
      head = loose.trim();
      continue;
    }
    const packed = read(path.join(dirs.commonDir, 'packed-refs'));
    const line = packed?.split('\n').find((l) => l.endsWith(` ${ref}`));
    if (line) return line.split(' ')[0]!;
    return null; // unborn branch
  }
  const r = git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** The branch HEAD is on in `cwd`'s worktree (`main` for `ref: refs/heads/main`), or null when detached / outside git. */
export function readBranch(cwd: string, env: Record<string, string | undefined> = {}): string | null {
  const dirs = findGitDirs(cwd, env);
  if (!dirs) return null;
  const m = /^ref:\s*refs\/heads\/(\S+)$/.exec(read(path.join(dirs.gitDir, 'HEAD'))?.trim() ?? '');
  return m ? m[1]! : null;
}

/** True when commit `a` is an ancestor of (or equal to) commit `b`. */
export function isAncestor(cwd: string, a: string, b: string): boolean {
  return git(cwd, ['merge-base', '--is-ancestor', a, b]).code === 0;
}

/** The full SHA of commit `rev`, or null when it is not a commit in this repository. */
export function resolveCommit(cwd: string, rev: string): string | null {
  if (rev.startsWith('-')) return null;
  const r = git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** The paths a commit changed (relative to the repository root, `/` separators). */
export function commitFiles(cwd: string, sha: string): string[] {
  const r = git(cwd, ['diff-tree', '--no-commit-id', '--name-only', '-r', '--root', sha]);
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/** The top of the worktree containing `cwd`, or null. */
export function worktreeTop(cwd: string): string | null {
  const r = git(cwd, ['rev-parse', '--show-toplevel']);
  return r.code === 0 ? r.stdout.trim() : null;
}
