import type { ExitCode, MainOptions } from './io.ts';

/** Placeholder until the import command lands. */
export async function runImport(opts: MainOptions): Promise<ExitCode> {
  opts.stderr.write('build-commands import: not implemented yet\n');
  return 2;
}
