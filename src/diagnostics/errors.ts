import type { Diagnostic } from './diagnostic.ts';

/**
 * The error catalog (after Astro's AstroErrorData): every fatal error the tools can raise has a permanent
 * name, an exit code, a message that says what happened and why, and a hint that says what to do.
 * Add new entries here; never throw a bare Error for a user-facing failure.
 */
export const ErrorCatalog = {
  InvalidArguments: { exit: 1, hint: 'Run with --help to see the accepted flags and values.' },
  InvalidDefinitions: { exit: 1, hint: 'Fix the listed definitions; nothing was written.' },
  OutputConflict: {
    exit: 1,
    hint: 'Move or delete the listed files yourself, or choose another --out folder. Nothing was written.',
  },
  StaleOutput: { exit: 1, hint: 'Run the build without --check to regenerate the output.' },
  InvalidPlan: { exit: 1, hint: 'Fix the plan file; no session was created.' },
  InvalidState: {
    exit: 1,
    hint: 'The state file was left exactly as it was (state unchanged); fix it by hand or restore it from the event log.',
  },
  SessionNotFound: { exit: 1, hint: 'Run `orchestrate sessions` to list sessions, or pass --id.' },
  InvalidTransition: { exit: 1, hint: 'State file unchanged.' },
  LockTimeout: { exit: 2, hint: 'Another process holds the state lock; try again. State file unchanged.' },
  InvalidLintConfig: { exit: 2, hint: 'Fix the lint configuration (.build-commands-lint.json or the `lint` key of package.json); nothing was linted.' },
  LintPathNotFound: { exit: 2, hint: 'Pass existing files or folders; nothing was linted.' },
  MissingBundle: {
    exit: 2,
    hint: 'Run `npm run bundle` in the build-commands package (it writes dist/orchestrate.mjs), then build again. Nothing was written.',
  },
  UnsafePath: {
    exit: 1,
    hint: 'build-commands never follows a symbolic link inside its own folders, nor writes outside them (a cloned repository can carry such links): remove the link or choose another folder. Nothing was written; state unchanged.',
  },
  FileTooLarge: { exit: 1, hint: 'Make the file smaller (split it, or remove what it does not need). Nothing was written; state unchanged.' },
  OutOfRange: { exit: 1, hint: 'Pass a value inside the range named above. Nothing was written; state unchanged.' },
  OutputBusy: { exit: 2, hint: 'Another build is writing into this folder; run again when it has finished. Nothing was written.' },
  PermissionDenied: {
    exit: 2,
    hint: 'Check the permissions and owner of the named file and of its folder. Nothing was half-written (every file is replaced whole or not at all); state unchanged.',
  },
  ReadOnlyFileSystem: { exit: 2, hint: 'The named file is on a read-only file system; run where it can be written. Nothing was half-written; state unchanged.' },
  DiskFull: { exit: 2, hint: 'Free space on that disk (or raise the quota), then run again. Nothing was half-written (every file is replaced whole or not at all); state unchanged.' },
  StoreUnavailable: { exit: 2, hint: 'The state database could not be reached or refused the connection; check the URL, the network and the server, then run again. Nothing was changed.' },
  StoreSchema: { exit: 1, hint: 'The state database was set up by another version of build-commands; use a helper of that version or newer. Nothing was changed.' },
  InvalidEnvironment: { exit: 1, hint: 'Fix or unset the named environment variable. Nothing was changed; state unchanged.' },
  Internal: { exit: 2, hint: 'This is a bug in build-commands; please report it with the command you ran.' },
} as const satisfies Record<string, { exit: 1 | 2; hint: string }>;

/** A permanent error name from {@link ErrorCatalog}. */
export type ErrorName = keyof typeof ErrorCatalog;

/**
 * A user-facing failure. `name` is the catalog entry; `diagnostics` carries positioned problems
 * (printed one per line before the message). The CLI maps it to `exitCode` (1 bad input, 2 could not run).
 */
export class ToolError extends Error {
  readonly code: ErrorName;
  readonly hint: string;
  readonly exitCode: 1 | 2;
  readonly diagnostics: Diagnostic[];

  constructor(code: ErrorName, message: string, options: { diagnostics?: Diagnostic[]; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.code = code;
    this.hint = options.hint ?? ErrorCatalog[code].hint;
    this.exitCode = ErrorCatalog[code].exit;
    this.diagnostics = options.diagnostics ?? [];
  }
}

/** True when `e` is a {@link ToolError}. */
export function isToolError(e: unknown): e is ToolError {
  return e instanceof ToolError;
}

/** The errno codes {@link fromSystemError} names, with their catalog entry and what they mean. */
const SYSTEM_ERRORS: Record<string, { code: ErrorName; what: string }> = {
  EACCES: { code: 'PermissionDenied', what: 'Permission denied' },
  EPERM: { code: 'PermissionDenied', what: 'Operation not permitted' },
  EROFS: { code: 'ReadOnlyFileSystem', what: 'Read-only file system' },
  ENOSPC: { code: 'DiskFull', what: 'No space left on the device' },
  EDQUOT: { code: 'DiskFull', what: 'Disk quota exceeded' },
};

/** Plain words for the system calls Node names in its errors. */
const SYSCALL_VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'rename',
  link: 'link',
  unlink: 'delete',
  rmdir: 'remove the folder',
  mkdir: 'create the folder',
  scandir: 'list the folder',
  fsync: 'flush',
  ftruncate: 'truncate',
  copyfile: 'copy',
};

/**
 * The catalog error for a file-system failure that is not a bug (EACCES/EPERM → `PermissionDenied`, EROFS →
 * `ReadOnlyFileSystem`, ENOSPC/EDQUOT → `DiskFull`), naming the operation and the path Node reports
 * (`Permission denied: cannot open \`/x/y\``); null for any other error (a ToolError is returned as it is).
 */
export function fromSystemError(e: unknown): ToolError | null {
  if (isToolError(e)) return e;
  const err = e as (NodeJS.ErrnoException & { dest?: string }) | null;
  const known = err && typeof err.code === 'string' ? SYSTEM_ERRORS[err.code] : undefined;
  if (!known) return null;
  const verb = SYSCALL_VERBS[err!.syscall ?? ''] ?? err!.syscall ?? 'use';
  const where = err!.path ? `: could not ${verb} \`${err!.path}\`${err!.dest ? ` to \`${err!.dest}\`` : ''}` : `: could not ${verb} a file`;
  return new ToolError(known.code, `${known.what}${where} [${err!.code}]`, { cause: e });
}
