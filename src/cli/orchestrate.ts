import type { ExitCode, MainOptions } from './io.ts';

/** Placeholder until the runtime helper lands. */
export async function main(opts: MainOptions): Promise<ExitCode> {
  opts.stderr.write('orchestrate: not implemented yet\n');
  return 2;
}
