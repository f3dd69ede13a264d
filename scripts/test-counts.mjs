// Prints vitest's counts from the JSON report as the plain closing line CI reads: `N passed, N failed`.
// Exits 1 (and prints `0 passed, 0 failed`) when the report is missing, so a suite that never ran is visible.
import { readFileSync } from 'node:fs';

try {
  const r = JSON.parse(readFileSync(new URL('../.tmp/vitest-results.json', import.meta.url), 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch {
  console.log('0 passed, 0 failed');
  process.exitCode = 1;
}
