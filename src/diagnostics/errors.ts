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
    hint: 'The state file was left exactly as it was; fix it by hand or restore it from the event log.',
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
