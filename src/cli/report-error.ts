import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { fromSystemError, isToolError } from '../diagnostics/errors.ts';
import type { ExitCode, Writable } from './io.ts';
import { printable } from '../runtime/views/printable.ts';

/**
 * Prints an error thrown by a core function and returns the exit code for it: a {@link ToolError} prints its
 * diagnostics (one per line), its message and its hint and maps to its exit code; a file-system failure that is
 * not a bug (permission denied, read-only file system, disk full) is first turned into its catalog error
 * ({@link fromSystemError}); anything else is a bug
 * (exit 2, with the stack when BUILD_COMMANDS_DEBUG is set). Messages often quote what the user typed
 * (`No ticket \`…\``): control characters in them are printed escaped (`\e`, `\x07`: views/printable.ts), so an
 * argument cannot clear the screen or forge output; line breaks of the message itself are kept.
 */
export function reportError(error: unknown, stderr: Writable, env: Record<string, string | undefined> = {}): ExitCode {
  const e = fromSystemError(error) ?? error;
  if (isToolError(e)) {
    for (const d of e.diagnostics) stderr.write(`${printable(formatDiagnostic(d), true)}\n`);
    stderr.write(`${printable(e.message, true)}\n`);
    if (e.hint) stderr.write(`hint: ${printable(e.hint, true)}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  stderr.write(`internal error: ${printable(err.message, true)}\n`);
  if (env.BUILD_COMMANDS_DEBUG) stderr.write(`${err.stack ?? ''}\n`);
  stderr.write('hint: This is a bug in build-commands; please report it with the command you ran.\n');
  return 2;
}
