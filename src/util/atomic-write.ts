import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomHex } from './unique.ts';

/**
 * Writes `data` to `file` so that readers only ever see the old or the new content, never a half-written
 * file: write a temp file in the same folder, fsync it, rename it over `file`, then fsync the folder.
 * The temp file is removed if anything fails. Throws the underlying fs error (ENOENT, EACCES, ...).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomHex(8)}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== -1) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/** fsyncs a directory so a rename inside it is durable; ignored where the platform does not allow it. */
export function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; durability there rests on the rename.
  } finally {
    if (fd !== -1) closeSync(fd);
  }
}
