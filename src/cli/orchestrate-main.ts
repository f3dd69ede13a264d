// Entry point bundled to dist/orchestrate.mjs (the self-contained runtime helper). Running the file runs the CLI.
// Output goes through fs.writeSync (FdWriter), not process.stdout: see fd-writer.ts.
import { FdWriter } from './fd-writer.ts';
import { main } from './orchestrate.ts';

process.exitCode = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  stdout: new FdWriter(1),
  stderr: new FdWriter(2),
  env: process.env,
});
