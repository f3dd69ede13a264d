import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A small tmpfs mounted for one test (disk full, read-only): see {@link mountTmpfs}. */
export interface Mount {
  dir: string;
  /** Fills every free byte with one file (`filler`), so the next write that needs a block fails with ENOSPC. */
  fill(): void;
  /** Removes the filler again. */
  unfill(): void;
  /** Remounts the file system read-only (EROFS on every write). */
  readOnly(): void;
  /** Unmounts and removes the folder. */
  release(): void;
}

/**
 * Mounts a tmpfs of `bytes` at a fresh temp folder; null (with a message on stderr) when this process is not
 * root or the mount fails (a container without CAP_SYS_ADMIN): the caller skips its test then.
 */
export function mountTmpfs(prefix: string, bytes: number): Mount | null {
  if (process.getuid?.() !== 0) {
    console.warn(`skipped: mounting a ${bytes}-byte tmpfs needs root`);
    return null;
  }
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.warn(`skipped: cannot mount a tmpfs (${r.stderr.trim() || r.error?.message})`);
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      // dd stops with ENOSPC once the file system is full; its exit status is then 1 by design.
      spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4096'], { stdio: 'ignore' });
      spawnSync('sync');
    },
    unfill() {
      rmSync(filler, { force: true });
    },
    readOnly() {
      const ro = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
      if (ro.status !== 0) throw new Error(`remount ro failed: ${ro.stderr}`);
    },
    release() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

