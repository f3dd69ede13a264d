import type { ExitCode, MainOptions } from './io.ts';

/** Placeholder until the build command lands. */
export async function runBuild(opts: MainOptions): Promise<ExitCode> {
  opts.stderr.write('build-commands build: not implemented yet\n');
  return 2;
}
