import { lstatSync } from 'node:fs';

/**
 * Why absolute path `abs` cannot be (or become) a folder, as a predicate for a message (`\`x\` ${reason}`):
 * `is a file` when something other than a folder is there, `lies below a file` when a component above it is
 * one; null when it is a folder, is missing (it can be created), or is a symbolic link (the callers have their
 * own rule for links). Other fs errors (permissions) are thrown as they are.
 */
export function notAFolderReason(abs: string): string | null {
  try {
    const st = lstatSync(abs);
    return st.isDirectory() || st.isSymbolicLink() ? null : 'is a file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return 'lies below a file';
    throw e;
  }
}
