import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // the same constant scripts/bundle.mjs writes into the bundles (src/version.ts)
  define: { __BUILD_COMMANDS_VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Many tests start real processes (the helper, git, Claude Code); on 2 shared cores one can take 10x its
    // time alone. A timeout is a hang detector here, never a speed check (benchmarks are in bench/).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // 2-core machine: process-heavy suites (concurrency, real Claude Code) must not starve each other.
    maxWorkers: 2,
    // The JSON report feeds the `N passed, N failed` line that .ci/run prints (scripts/test-counts.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
