import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../diagnostics/errors.ts';
import { formatBytes, pathProblem } from '../util/safe-path.ts';

/**
 * Long text fields of the runtime helper from a file or standard input: `--summary-file F`, `--reason-file F`,
 * `--note-file F` stand for `--summary`, `--reason`, `--note` with the text of file F (`-`: standard input),
 * because a 5 MB `--summary` cannot pass the kernel's argument limit (`E2BIG`). docs/contracts.md §5.
 */

/** The text flags that have a `-file` form. */
export const TEXT_FILE_FLAGS = ['summary', 'reason', 'note'] as const;

/** Largest text read from a file or stdin, in bytes (8 MiB). */
export const MAX_TEXT_BYTES = 8 * 1024 * 1024;

/** One line for a verb's --help about the `-file` forms it has. */
export const TEXT_FILE_HELP = 'Long text: --summary-file F, --reason-file F or --note-file F read it from file F (`-`: standard input), at most 8 MiB; trailing newlines are dropped.';

/** Reads standard input whole (fd 0). */
function readStdin(): Buffer {
  return readFileSync(0);
}

/**
 * Replaces, in parsed flag `values`, each `<name>-file` of {@link TEXT_FILE_FLAGS} by `<name>` holding that
 * file's text (relative to `cwd`; `-` reads standard input), trailing newlines removed. `stdin` is for tests.
 * @throws ToolError `InvalidArguments` when both `--name` and `--name-file` are given or the file cannot be
 *   read; `FileTooLarge` above {@link MAX_TEXT_BYTES}.
 */
export function resolveTextFiles(values: Record<string, unknown>, cwd: string, usage: string, stdin: () => Buffer = readStdin): void {
  for (const name of TEXT_FILE_FLAGS) {
    const file = values[`${name}-file`];
    if (typeof file !== 'string') continue;
    if (values[name] !== undefined) throw new ToolError('InvalidArguments', `${usage}\nPass --${name} or --${name}-file, not both`);
    let buf: Buffer;
    try {
      if (file === '-') buf = stdin();
      else {
        const abs = path.resolve(cwd, file);
        const size = statSync(abs).size;
        if (size > MAX_TEXT_BYTES) throw new ToolError('FileTooLarge', `--${name}-file \`${file}\` is ${formatBytes(size)}, expected at most ${formatBytes(MAX_TEXT_BYTES)}`);
        buf = readFileSync(abs);
      }
    } catch (e) {
      if (e instanceof ToolError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new ToolError('InvalidArguments', `${usage}\nCannot read --${name}-file \`${file}\`: ${pathProblem(code) ?? code ?? String(e)}`);
    }
    if (buf.length > MAX_TEXT_BYTES) throw new ToolError('FileTooLarge', `--${name}-file \`${file}\` is over ${formatBytes(MAX_TEXT_BYTES)}, the most accepted`);
    values[name] = buf.toString('utf8').replace(/\n+$/, '');
    delete values[`${name}-file`];
  }
}
