import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { git } from './git.ts';
import { findGitDirs } from './store/paths.ts';

/** The line {@link excludeStateDir} adds: the state folder, as a directory pattern. */
export const STATE_DIR_PATTERN = '.orchestration/';

/**
 * Keeps the orchestration state out of the user's `git status` without touching a tracked file: appends
 * `.orchestration/` to `info/exclude` of the repository's common git dir (the main worktree's `.git/info/exclude`,
 * which every linked worktree shares; never the user's `.gitignore`) — unless git already ignores `.orchestration/`
 * under `root` (any .gitignore, info/exclude or the global excludes file: `git check-ignore`). `root`: the state
 * root (the main worktree, src/runtime/store/paths.ts `stateRoot`). Returns the exclude file's path when it added
 * the line (so the caller says so, once: the next call finds it ignored), else null — also outside git, and
 * when the file cannot be written (best effort: the state itself is already written).
 */
export function excludeStateDir(root: string, env: Record<string, string | undefined> = {}): string | null {
  const dirs = findGitDirs(root, env);
  if (!dirs) return null;
  const check = git(root, ['check-ignore', '-q', STATE_DIR_PATTERN]);
  if (check.code !== 1) return null; // 0: already ignored; null/128: no git or an error — leave it alone
  const file = path.join(dirs.commonDir, 'info', 'exclude');
  try {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      mkdirSync(path.dirname(file), { recursive: true });
    }
    appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${STATE_DIR_PATTERN}\n`);
    return file;
  } catch {
    return null;
  }
}
