import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * What is wrong with the flags parseArgs refused (`e`, for `args` against `options`), said plainly: an unknown
 * flag with the allowed ones; a flag whose value is missing, or whose next argument starts with `-` (a value
 * such as `-1` is written `--progress=-1`); a flag that takes no value given one. Node's own advice (`place it at
 * the end of the command after '--'`, `argument is ambiguous.`) is about positionals and is left out.
 * Shared by both CLIs (`orchestrate` and `build-commands`).
 */
export function flagProblem(e: Error & { code?: string }, args: readonly string[], options: Options): string {
  const flag = /'(-{1,2}[^' ,]+)/.exec(e.message)?.[1] ?? '';
  const allowed = Object.keys(options).map((k) => `--${k}`).join(', ');
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(e.message)) return `${flag} takes no value; allowed flags: ${allowed}`;
    const next = args.find((a, i) => args[i - 1] === flag && a.startsWith('-'));
    return next === undefined ? `Missing value after ${flag}` : `Missing value after ${flag}: the next argument \`${next}\` starts with \`-\` (if it is the value, write \`${flag}=${next}\`)`;
  }
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option '${flag}'; allowed flags: ${allowed}`;
  return `${e.message.split('\n')[0]}; allowed flags: ${allowed}`;
}
