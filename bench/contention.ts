/**
 * Lock contention: N processes (16, then 32) each loop `claim` + `complete` with the bundled helper on one
 * shared session until it is done. Prints successful claims per second and the lock-wait picture (wall time per
 * claim, p50/p95). Tickets are independent (no dependencies, distinct files) so every claim can succeed.
 * Asserts nothing.
 *
 *   npx tsx bench/contention.ts [--tickets 200]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/orchestrate.mjs');
const { values } = parseArgs({ options: { tickets: { type: 'string', default: '200' } } });
const tickets = Math.max(10, Number(values.tickets));

execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });

function call(dir: string, args: string[]): Promise<{ code: number; out: string; ms: number }> {
  const t = process.hrtime.bigint();
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [bundle, ...args], { cwd: dir, env: { ...process.env, ORCHESTRATE_LOCK_TIMEOUT_MS: '120000' } });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code: code ?? -1, out, ms: Number(process.hrtime.bigint() - t) / 1e6 }));
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function round(procs: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-contention-'));
  const lines = ['title: contention', `agents: ${procs}`, 'strategy: maximum', 'tickets:'];
  for (let i = 0; i < tickets; i++) lines.push(`  - {id: T${i}, title: "Ticket ${i}", dependencies: [], files: [f${i}]}`);
  writeFileSync(path.join(dir, 'plan.yaml'), `${lines.join('\n')}\n`);
  execFileSync(process.execPath, [bundle, 'init', 'plan.yaml', '--id', 'c'], { cwd: dir });
  execFileSync(process.execPath, [bundle, 'activate'], { cwd: dir });
  const claimMs: number[] = [];
  let claims = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: procs }, async (_, w) => {
      for (;;) {
        const c = await call(dir, ['claim', '--agent', `w${w}`, '--json']);
        if (c.code !== 0) {
          errors++;
          return;
        }
        const ticket = JSON.parse(c.out).ticket;
        if (!ticket) return;
        claims++;
        claimMs.push(c.ms);
        const d = await call(dir, ['complete', '--ticket', ticket.id, '--agent', `w${w}`, '--summary', 'ok']);
        if (d.code !== 0) errors++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `${String(procs).padStart(2)} processes, ${tickets} tickets: ${claims} claims + ${claims} completes in ${seconds.toFixed(1)} s = ${(claims / seconds).toFixed(1)} claims/s (${((2 * claims) / seconds).toFixed(1)} changes/s); claim wall p50 ${pct(claimMs, 50).toFixed(0)} ms, p95 ${pct(claimMs, 95).toFixed(0)} ms; errors ${errors}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

console.log(`contention on one session (node ${process.version}, ${(await import('node:os')).cpus().length} cpus)`);
await round(16);
await round(32);
