import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../diagnostics/errors.ts';

/**
 * One rule for every path the tools write, delete or read inside a folder they own (the state store's
 * `.orchestration/`, the build's `--out` folder, a definitions folder's `templates/`):
 *
 * 1. the path is resolved and must stay inside its root (no `..` out of it, no absolute escape);
 * 2. no component between the root and the path — the path itself included — may be a symbolic link
 *    (`lstat`, never `stat`): a cloned repository can carry `logs/s1.jsonl -> ~/.ssh/authorized_keys` or
 *    `commands -> /etc`, and following one would write outside the tool's folders;
 * 3. files are opened with `O_NOFOLLOW` where the platform has it, so a link planted after the check (or on
 *    the last component) makes the open fail (`ELOOP`) instead of following it.
 *
 * Ancestors of the root itself are the user's business (a home folder under `/private` on macOS, a linked
 * checkout): only what lies inside the root is checked. Every refusal is ToolError `UnsafePath` (exit 1,
 * nothing written). Not covered: a local attacker who swaps a checked folder for a link between the check
 * and the open (a race with someone who can already write there).
 */

/** `O_NOFOLLOW` on this platform, or 0 where it does not exist (Windows: links there need privileges). */
export const O_NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;

/**
 * Open flags: read only, no link followed, and not waiting (`O_NONBLOCK`, where the platform has it): opening a
 * named pipe (FIFO) for reading otherwise blocks until something writes to it, so a `mkfifo` where a file was
 * expected hung the build; with it the open returns and the caller's regular-file check refuses the pipe.
 * (It changes nothing for regular files.)
 */
export const READ_NOFOLLOW = constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0);
/** Open flags: read and append, created when missing, no link followed (the event log). */
export const APPEND_NOFOLLOW = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | O_NOFOLLOW;
/** Open flags: create a new file exclusively (never follows a link: `O_EXCL` fails on one), no link followed. */
export const CREATE_NOFOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;

/** How a path is named in a refusal: the caller's display function (relative to the cwd), else as it is. */
export type Display = (abs: string) => string;

function refuse(display: Display, file: string, reason: string, verb: string): never {
  throw new ToolError('UnsafePath', `Refusing to ${verb} \`${display(file)}\`: ${reason}`);
}

/**
 * `target` resolved against `root`, checked by rules 1 and 2 above: returns its absolute path.
 * Components that do not exist yet are fine (they will be created as real folders). `verb` names the action
 * in the message (`write`, `delete`, `read`).
 * @throws ToolError `UnsafePath` when the path leaves `root` or a component below `root` is a symbolic link
 *   (or an ancestor is not a folder).
 */
export function safePath(root: string, target: string, options: { display?: Display; verb?: string } = {}): string {
  const display = options.display ?? ((p: string) => p);
  const verb = options.verb ?? 'write';
  const top = path.resolve(root);
  const abs = path.resolve(top, target);
  const rel = path.relative(top, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    refuse(display, abs, `it is not inside \`${display(top)}\``, verb);
  }
  let cur = top;
  const parts = rel.split(path.sep);
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]!);
    let st;
    try {
      st = lstatSync(cur);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return abs; // the rest does not exist yet
      throw e;
    }
    if (st.isSymbolicLink()) refuse(display, abs, `\`${display(cur)}\` is a symbolic link (links are never followed inside the tool's folders)`, verb);
    if (i < parts.length - 1 && !st.isDirectory()) refuse(display, abs, `\`${display(cur)}\` is not a folder`, verb);
  }
  return abs;
}

/**
 * Checks that each folder in `dirs` (inside `root`) is a real folder or absent: {@link safePath} for each.
 * Meant for a store or an output folder checked once per invocation, before files in them are opened with
 * `O_NOFOLLOW`. @throws ToolError `UnsafePath`.
 */
export function checkFolders(root: string, dirs: readonly string[], display?: Display): void {
  for (const d of dirs) safePath(root, d, { display });
}

/**
 * `openSync(file, flags, mode)` where `flags` include {@link O_NOFOLLOW}; a symbolic link at `file` becomes
 * ToolError `UnsafePath` instead of `ELOOP`. Also refuses a file that is not a regular file or that has
 * other hard links (`nlink > 1`: a hard link to a file elsewhere is as bad as a symbolic one) when
 * `regularOnly` is set (the default). Other fs errors are thrown as they are.
 */
export function openNoFollow(file: string, flags: number, mode = 0o644, options: { display?: Display; verb?: string; regularOnly?: boolean } = {}): number {
  const display = options.display ?? ((p: string) => p);
  const verb = options.verb ?? 'write';
  let fd: number;
  try {
    fd = openSync(file, flags, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Linux/macOS: ELOOP; FreeBSD: EMLINK; a link with O_EXCL: EEXIST is the caller's to handle.
    if (code === 'ELOOP' || code === 'EMLINK') refuse(display, file, 'it is a symbolic link (links are never followed inside the tool\'s folders)', verb);
    throw e;
  }
  if (options.regularOnly !== false) {
    const st = fstatSync(fd);
    if (!st.isFile() || st.nlink > 1) {
      closeSync(fd);
      refuse(display, file, st.isFile() ? 'it has another hard link (it may be a file outside the tool\'s folders)' : 'it is not a regular file', verb);
    }
  }
  return fd;
}

/**
 * Reads `file` whole without following a link at it ({@link openNoFollow} with {@link READ_NOFOLLOW}).
 * `maxBytes`: a larger file throws ToolError `FileTooLarge` naming the size and the limit (nothing read).
 * @throws the fs error as it is for ENOENT and others; ToolError `UnsafePath` for a link.
 */
export function readNoFollow(file: string, options: { display?: Display; maxBytes?: number } = {}): Buffer {
  const fd = openNoFollow(file, READ_NOFOLLOW, 0o644, { display: options.display, verb: 'read', regularOnly: false });
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) refuse(options.display ?? ((p) => p), file, 'it is not a regular file', 'read');
    if (options.maxBytes !== undefined && st.size > options.maxBytes) {
      throw new ToolError('FileTooLarge', `\`${(options.display ?? ((p) => p))(file)}\` is ${formatBytes(st.size)}, expected at most ${formatBytes(options.maxBytes)}`);
    }
    let buf = Buffer.allocUnsafe(st.size + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (options.maxBytes !== undefined && total > options.maxBytes) {
        throw new ToolError('FileTooLarge', `\`${(options.display ?? ((p) => p))(file)}\` is over ${formatBytes(options.maxBytes)}, the most accepted`);
      }
    }
    return buf.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

/** True when absolute `p` is `root` or below it. */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Reads `file` (inside the source folder `root`) following a link only when its target stays inside `root`
 * (a definitions folder may link one file to another; `templates/partials/x.hbs -> ~/.ssh/id_rsa` must not be
 * inlined into the output). At most `maxBytes` (ToolError `FileTooLarge`).
 * @throws ToolError `UnsafePath` for a link out of `root`; fs errors (ENOENT, ELOOP for a loop) as they are.
 */
export function readWithin(root: string, file: string, options: { display?: Display; maxBytes?: number } = {}): Buffer {
  const display = options.display ?? ((p: string) => p);
  let real: string;
  try {
    real = realpathSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') refuse(display, file, 'it is a loop of symbolic links', 'read');
    throw e;
  }
  const top = realpathSync(root);
  if (!isInside(top, real)) refuse(display, file, `it is a link to \`${real}\`, outside \`${display(root)}\` (links are followed only inside the source folder)`, 'read');
  return readNoFollow(real, { display: () => display(file), maxBytes: options.maxBytes });
}

/**
 * `rel` as a normalised relative path (`/` separators, no `./`) when it names something inside the folder it
 * is relative to (a repository, for evidence files); null when it is absolute or leaves the folder
 * (`../../../etc/passwd`, `a/../../b`, `C:\\x`). Pure: the disk is not read.
 */
export function relativeInside(rel: string): string | null {
  const p = rel.replace(/\\/g, '/');
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('\0')) return null;
  const n = path.posix.normalize(p).replace(/^(\.\/)+/, '');
  return n === '..' || n.startsWith('../') || n === '.' || n === '' ? null : n.replace(/\/$/, '');
}

/**
 * `mkdirSync(dir, { recursive: true })`, but failing with the real cause: Node reports `ENOENT` for a
 * recursive mkdir on a read-only file system (or in a folder it may not write), so the deepest missing folder
 * is made once more without `recursive` to get `EROFS` / `EACCES` (which the error catalog names).
 */
export function makeFolders(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let d = path.resolve(dir);
    for (;;) {
      const up = path.dirname(d);
      if (up === d) throw e;
      try {
        lstatSync(up);
        break;
      } catch {
        d = up;
      }
    }
    mkdirSync(d); // throws the real reason
    throw e;
  }
}

/**
 * Why a path a person named cannot be used, in words, for the errno codes that mean the path itself is wrong:
 * ENOENT (`no such file`; when `writing`, its folder is what is missing), ENOTDIR, EISDIR. Null for any other
 * code (permissions, a full disk: those are `fromSystemError`'s, diagnostics/errors.ts).
 */
export function pathProblem(code: unknown, writing = false): string | null {
  if (code === 'ENOENT') return writing ? 'its folder does not exist' : 'no such file';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  if (code === 'EISDIR') return 'it is a folder';
  return null;
}

/** `bytes` as `512 B`, `3.0 KiB`, `48.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
