import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { decodeUtf8Text } from '../util/utf8-text.ts';

/** Largest file the linter reads (bytes): a bigger one gets one `file-read` finding and is not linted. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** A file's text, or why it could not be read as a text file. */
export type ReadResult = { text: string } | { problem: string };

/**
 * Reads `abs` once, for the linter: a symbolic link is followed only when its target is inside `root` (the
 * linted folder); a file over {@link MAX_FILE_BYTES}, with NUL bytes (binary) or not valid UTF-8 is not read
 * as text, and what is not a regular file (a named pipe would block the read forever) is not read at all. Never throws: every failure is a `problem` message (what was found, what to do).
 */
export function readSource(abs: string, root: string): ReadResult {
  let real = abs;
  try {
    const link = lstatSync(abs);
    if (link.isSymbolicLink()) {
      real = realpathSync(abs);
      const rel = path.relative(realpathSync(root), real);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return { problem: 'File is a symbolic link to a target outside the linted folder, not followed' };
    }
    const target = real === abs ? link : statSync(real);
    if (!target.isFile()) return { problem: 'File is not a regular file (a named pipe, socket or device), not read' };
    const size = target.size;
    if (size > MAX_FILE_BYTES) return { problem: `File is ${size} bytes, over the ${MAX_FILE_BYTES}-byte cap, not linted` };
    return decodeUtf8Text(readFileSync(real));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ELOOP' ? 'File is a symbolic link in a loop, not followed' : `File could not be read (${code ?? (e as Error).message})` };
  }
}
