import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '../util/atomic-write.ts';
import { makeFolders } from '../util/safe-path.ts';

/** How many files are written (and fsynced) at once: enough for the disk to batch journal commits. */
export const WRITE_CONCURRENCY = 16;

/**
 * Writes many files with the guarantees of `writeFileAtomic` (src/util/atomic-write.ts) — each file is
 * written to a temp file in its own folder, fsynced, and renamed over the target, so readers only ever see
 * the old or the new bytes; every touched folder is fsynced after its renames — but `concurrency` files at a
 * time and each folder once. A 1,000-file build spends ~0.3 s here instead of 1.5–6 s for one
 * `writeFileAtomic` after another (two fsyncs per file, serially; bench/build.ts). Parent folders are
 * created. A failed file leaves no temp file behind; the first error is thrown after in-flight writes end.
 */
export async function writeFilesAtomic(files: readonly { file: string; data: Uint8Array }[], concurrency = WRITE_CONCURRENCY): Promise<void> {
  const dirs = new Set(files.map((f) => path.dirname(f.file)));
  for (const dir of dirs) makeFolders(dir);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < files.length && failure === undefined) {
      const { file, data } = files[next++]!;
      const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        const handle = await fsp.open(tmp, 'wx', 0o644);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fsp.rename(tmp, file);
      } catch (e) {
        failure ??= e;
        await fsp.rm(tmp, { force: true });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  for (const dir of dirs) fsyncDir(dir);
  if (failure !== undefined) throw failure;
}
