/**
 * Optional vitest global setup for the end-to-end suite: installs the second Claude Code version named by
 * `CLAUDE_CODE_E2E_VERSION` before any worker starts (see docs/e2e.md). The suite also does this itself
 * when test/e2e/stand-in/run-claude.ts is loaded, so wiring this file into vitest.config.ts only moves the
 * install out of test collection.
 */
import { ensureClaudeBin } from './stand-in/run-claude.ts';

export default function setup(): void {
  ensureClaudeBin();
}
