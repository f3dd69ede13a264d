import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startTestServer, type TestServer } from './store/postgres-server.ts';

/**
 * Before the suite: bundles dist/ once, so process-level tests run the same files users run; and starts the
 * PostgreSQL server the store tests use (unless `ORCHESTRATE_TEST_DATABASE_URL` names one already), exported
 * to the test workers as `ORCHESTRATE_TEST_DATABASE_URL`. Returns the teardown that stops it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
  let server: TestServer | null = null;
  if (!process.env.ORCHESTRATE_TEST_DATABASE_URL) {
    server = await startTestServer();
    process.env.ORCHESTRATE_TEST_DATABASE_URL = server.url;
  }
  return async () => {
    await server?.destroy();
  };
}
