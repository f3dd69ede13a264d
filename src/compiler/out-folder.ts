import { existsSync, lstatSync, readdirSync, rmdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ToolError } from '../diagnostics/errors.ts';
import { acquireLock, type LockHandle } from '../util/lock.ts';
import { notAFolderReason } from '../util/folder-path.ts';
import { makeFolders } from '../util/safe-path.ts';

/**
 * The build's output folder as a whole (the files in it go through src/util/safe-path.ts): which folders may
 * never be one, and the lock that keeps two builds from interleaving their writes in one folder.
 */

/** The lock file a build holds inside its output folder while it plans and writes (removed at the end). */
export const OUT_LOCK_NAME = '.build-commands.lock';

/** How long a build waits for another build of the same folder by default (ms). */
export const OUT_LOCK_TIMEOUT_MS = 60_000;

/** The root of the git work tree holding `dir` (the folder with `.git`), or null outside one. */
function repositoryRoot(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

/**
 * Refuses an output folder the build must never write into or delete from as a whole: a file-system root
 * (`/`, `C:\`), the home folder, the root of the repository that holds the cwd, or the definitions folder
 * itself; and an output folder that is itself a symbolic link (its target would receive the files).
 * `out`, `src`, `cwd` are absolute. @throws ToolError `UnsafePath` naming the folder and why;
 *   `InvalidArguments` when `out` is a file or lies below one.
 */
export function checkOutFolder(out: string, src: string, cwd: string, shown: string): void {
  const o = path.resolve(out);
  const why =
    path.parse(o).root === o
      ? 'it is the root of the file system'
      : o === path.resolve(homedir())
        ? 'it is your home folder'
        : o === repositoryRoot(cwd)
          ? 'it is the root of the repository'
          : o === path.resolve(src)
            ? 'it is the definitions folder (--src)'
            : null;
  if (why) throw new ToolError('UnsafePath', `Refusing to build into \`${shown}\`: ${why}`, { hint: 'Pass --out with a folder of its own, such as .claude or dist-plugin. Nothing was written.' });
  const notFolder = notAFolderReason(o);
  if (notFolder) throw new ToolError('InvalidArguments', `Cannot build into \`${shown}\`: it ${notFolder}, expected a folder`, { hint: 'Pass --out with a folder (it is created when missing). Nothing was written.' });
  try {
    if (lstatSync(o).isSymbolicLink()) throw new ToolError('UnsafePath', `Refusing to build into \`${shown}\`: it is a symbolic link`, { hint: 'Pass --out with the real folder the link points at, or remove the link. Nothing was written.' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Takes the output folder's lock `<out>/.build-commands.lock` (creating `out`), waiting up to `timeoutMs`
 * for another build to finish (a dead build's lock is taken over: src/util/lock.ts). `release()`
 * also removes `out` again when this call created it and nothing was written into it.
 * @throws ToolError `OutputBusy` (exit 2) when the other build does not finish in time.
 */
export function lockOutFolder(out: string, shown: string, timeoutMs = OUT_LOCK_TIMEOUT_MS): Pick<LockHandle, 'release'> {
  const created = !existsSync(out);
  makeFolders(out);
  const dropIfEmpty = () => {
    try {
      if (created && readdirSync(out).length === 0) rmdirSync(out);
    } catch {
      /* another build wrote into it meanwhile */
    }
  };
  try {
    const lock = acquireLock(path.join(out, OUT_LOCK_NAME), { timeoutMs });
    return {
      release() {
        lock.release();
        dropIfEmpty();
      },
    };
  } catch (e) {
    dropIfEmpty();
    if (e instanceof ToolError && e.code === 'LockTimeout') {
      throw new ToolError('OutputBusy', `Another build has been writing into \`${shown}\` for over ${Math.round(timeoutMs / 1000)} s (${path.posix.join(shown, OUT_LOCK_NAME)})`, { cause: e });
    }
    throw e;
  }
}
