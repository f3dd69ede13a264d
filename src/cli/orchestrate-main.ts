// Entry point bundled to dist/orchestrate.mjs (the self-contained runtime helper). Running the file runs the CLI.
import { main } from './orchestrate.ts';

process.exitCode = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
