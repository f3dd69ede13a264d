import type { ExitCode, MainOptions } from './io.ts';

/** Placeholder until the lint command lands. */
export async function runLint(opts: MainOptions): Promise<ExitCode> {
  opts.stderr.write('build-commands lint: not implemented yet\n');
  return 2;
}
