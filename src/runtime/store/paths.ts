import { childProcess } from '../lazy-node.ts';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the orchestration state lives: `.orchestration/` at the root of the repository's MAIN worktree (so
 * agents in `git worktree`s — Claude Code's `isolation: "worktree"`, CLAUDE-CODE.md — share one state), or in
 * the cwd outside git. The git layout is read from the file system (`.git` folder, or `.git` file pointing at
 * `<common>/worktrees/<name>` with its `commondir`), which is what `git rev-parse --git-common-dir` reports,
 * without the cost of starting git on every helper call. With `GIT_DIR` / `GIT_COMMON_DIR` set, git is asked.
 */

/** The git folders of a working directory: `gitDir` (per worktree: HEAD lives there) and `commonDir` (shared). */
export interface GitDirs {
  worktree: string;
  gitDir: string;
  commonDir: string;
}

/** Absolute paths of the state files. */
export interface StatePaths {
  root: string;
  dir: string;
  sessionsDir: string;
  logsDir: string;
  cacheDir: string;
  currentFile: string;
  session(id: string): string;
  log(id: string): string;
  lock(id: string): string;
  cache(id: string): string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readText(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Finds the git folders for `cwd` by walking up to the nearest `.git`; null outside a repository.
 * Bare repositories and unusual layouts fall back to `git rev-parse`.
 */
export function findGitDirs(cwd: string, env: Record<string, string | undefined> = {}): GitDirs | null {
  if (env.GIT_DIR || env.GIT_COMMON_DIR) return gitRevParse(cwd);
  let dir = path.resolve(cwd);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    if (isDir(dotGit)) {
      const common = readText(path.join(dotGit, 'commondir'));
      return { worktree: dir, gitDir: dotGit, commonDir: common ? path.resolve(dotGit, common.trim()) : dotGit };
    }
    const file = readText(dotGit);
    if (file !== null) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(file);
      if (!m) return gitRevParse(cwd);
      const gitDir = path.resolve(dir, m[1]!);
      const common = readText(path.join(gitDir, 'commondir'));
      return { worktree: dir, gitDir, commonDir: common ? path.resolve(gitDir, common.trim()) : gitDir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Asks git for the folders (slow path). Null when not in a repository or git is missing. */
function gitRevParse(cwd: string): GitDirs | null {
  try {
    const out = childProcess().execFileSync('git', ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).split('\n');
    return { worktree: out[0]!, gitDir: out[1]!, commonDir: out[2]! };
  } catch {
    return null;
  }
}

/**
 * The state root for `cwd`: the parent of the git common dir (the main worktree), or `cwd` outside git.
 * `ORCHESTRATE_ROOT` in `env` overrides it (tests, unusual setups).
 */
export function stateRoot(cwd: string, env: Record<string, string | undefined> = {}): string {
  if (env.ORCHESTRATE_ROOT) return path.resolve(cwd, env.ORCHESTRATE_ROOT);
  const git = findGitDirs(cwd, env);
  if (!git) return path.resolve(cwd);
  return path.basename(git.commonDir) === '.git' ? path.dirname(git.commonDir) : git.worktree;
}

/** The {@link StatePaths} under `root` (see {@link stateRoot}). Creates nothing. */
export function statePaths(root: string): StatePaths {
  const dir = path.join(root, '.orchestration');
  const sessionsDir = path.join(dir, 'sessions');
  const logsDir = path.join(dir, 'logs');
  const cacheDir = path.join(dir, 'cache');
  return {
    root,
    dir,
    sessionsDir,
    logsDir,
    cacheDir,
    currentFile: path.join(dir, 'current'),
    session: (id) => path.join(sessionsDir, `${id}.yaml`),
    log: (id) => path.join(logsDir, `${id}.jsonl`),
    lock: (id) => path.join(sessionsDir, `${id}.lock`),
    cache: (id) => path.join(cacheDir, `${id}.state`),
  };
}
