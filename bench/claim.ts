/**
 * `claim` latency of the bundled helper (dist/orchestrate.mjs) against a bare `node -e 0`, measured in the same
 * run, interleaved, so machine load affects both alike. Prints p50/p95 in ms and the ratios (goal: p50 ≤ 1.5×).
 * Two session sizes: one ticket per run (every claim takes a ticket and writes) and 500 tickets. Asserts nothing.
 *
 *   npx tsx bench/claim.ts [--runs 40]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/orchestrate.mjs');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' } } });
const runs = Math.max(5, Number(values.runs));

execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });

function timeMs(args: string[], cwd: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function session(tickets: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-claim-'));
  {
    const lines = ['title: bench', `agents: ${tickets}`, 'strategy: maximum', 'tickets:'];
    for (let i = 0; i < tickets; i++) lines.push(`  - {id: T${i}, title: "Ticket ${i}", estimate: 30, dependencies: [], files: [src/f${i}.ts]}`);
    writeFileSync(path.join(dir, 'plan.yaml'), `${lines.join('\n')}\n`);
  }
  execFileSync(process.execPath, [bundle, 'init', 'plan.yaml', '--id', 'b'], { cwd: dir });
  execFileSync(process.execPath, [bundle, 'activate'], { cwd: dir });
  return dir;
}

console.log(`claim latency, ${runs} runs each, interleaved with node -e 0 (node ${process.version})`);
for (const size of [runs, 500]) {
  const dir = session(size);
  const base: number[] = [];
  const claim: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(timeMs(['-e', '0'], dir));
    // every claim takes a ticket: the full path (lock, re-read, choose, log append, fsync, rename)
    claim.push(timeMs([bundle, 'claim', '--agent', `a${i}`, '--json'], dir));
  }
  const b50 = pct(base, 50);
  const b95 = pct(base, 95);
  const c50 = pct(claim, 50);
  const c95 = pct(claim, 95);
  const label = `${size} tickets`;
  console.log(
    `${label.padEnd(12)} node -e 0: p50 ${b50.toFixed(1)} ms, p95 ${b95.toFixed(1)} ms | claim: p50 ${c50.toFixed(1)} ms, p95 ${c95.toFixed(1)} ms | ratio p50 ${(c50 / b50).toFixed(2)}x, p95 ${(c95 / b95).toFixed(2)}x`,
  );
  rmSync(dir, { recursive: true, force: true });
}
