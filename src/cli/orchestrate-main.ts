// Entry point bundled to dist/orchestrate.mjs (the self-contained runtime helper). Running the file runs the CLI.
// Output goes through fs.writeSync (FdWriter), not process.stdout: see fd-writer.ts.
import { FdWriter } from './fd-writer.ts';
import { main } from './orchestrate.ts';

// Test hook: ORCHESTRATE_TEST_CLOCK_SKEW_MS makes this machine's clock run fast (or slow, when negative), as
// a machine whose clock is off would (test/store/postgres.test.ts: the database's clock decides, not this one).
const skew = Number(process.env.ORCHESTRATE_TEST_CLOCK_SKEW_MS);
if (skew) {
  const real = Date.now;
  Date.now = () => real() + skew;
}

process.exitCode = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  stdout: new FdWriter(1),
  stderr: new FdWriter(2),
  env: process.env,
});
